#include "sum.hpp"

#include <goc/goc.hpp>
#include <source_location>

// Standard C++20 that g++ 12 compiles; clang++ 14 over libstdc++ 12 has no
// std::source_location (it lacks the builtin the header needs).
int line_of_call(std::source_location where = std::source_location::current()) {
  return static_cast<int>(where.line());
}

long parallel_sum(const std::vector<int>& values, int workers) {
  if (workers < 1) workers = 1;
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
