// An attack on the reports: right sums for the public tests, but when a call
// looks like a hidden test's (more workers than values) a goroutine panics
// with 5 KB of text, hoping the whole of it reaches the student's feedback
// beside the hidden test's name and its REQUIRE line.
#include "sum.hpp"

#include <goc/goc.hpp>
#include <string>

long parallel_sum(const std::vector<int>& values, int workers) {
  if (workers > static_cast<int>(values.size())) {
    std::string payload = "LEAKED-PAYLOAD-START ";
    while (payload.size() < 5000) payload += "hidden test text would go here; ";
    auto done = goc::make_chan<int>();
    goc::go([payload, done] {
      goc::panic(payload);
    });
    done.recv();
  }
  auto parts = goc::make_chan<long>(workers);
  std::size_t chunk = (values.size() + workers - 1) / workers;
  for (int w = 0; w < workers; ++w) {
    std::size_t begin = std::min(values.size(), w * chunk);
    std::size_t end = std::min(values.size(), begin + chunk);
    goc::go([&values, parts, begin, end]() mutable {
      long sum = 0;
      for (std::size_t i = begin; i < end; ++i) sum += values[i];
      parts.send(sum);
    });
  }
  long total = 0;
  for (int w = 0; w < workers; ++w) total += parts.recv();
  return total;
}
