#include "sum.hpp"

#include <goc/goc.hpp>
#include <iostream>

// An attack on the host-problem rule: racy code that also prints the line
// ThreadSanitizer prints when it cannot start, hoping the race item becomes
// "host problem, not the student's fault" instead of 0.
static const bool pretend_tsan_failed = [] {
  std::cerr << "FATAL: ThreadSanitizer: unexpected memory mapping 0x7f0000000000-0x7f0000001000" << std::endl;
  return true;
}();

// Right answers, but the workers all count themselves in `busy_workers` at
// the same time, with no synchronisation.
static long busy_workers = 0;

long parallel_sum(const std::vector<int>& values, int workers) {
  if (workers < 1) workers = 1;
  auto parts = goc::make_chan<long>(workers);
  auto start = goc::make_chan<goc::Empty>();
  std::size_t chunk = (values.size() + workers - 1) / workers;
  for (int w = 0; w < workers; ++w) {
    std::size_t begin = std::min(values.size(), w * chunk);
    std::size_t end = std::min(values.size(), begin + chunk);
    goc::go([&values, parts, start, begin, end]() mutable {
      start.recv_ok();  // every worker starts together
      for (int i = 0; i < 10000; ++i) busy_workers = busy_workers + 1;
      long sum = 0;
      for (std::size_t i = begin; i < end; ++i) sum += values[i];
      parts.send(sum);
    });
  }
  start.close();
  long total = 0;
  for (int w = 0; w < workers; ++w) total += parts.recv();
  return total;
}
