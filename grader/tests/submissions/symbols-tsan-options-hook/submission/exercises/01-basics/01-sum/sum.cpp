#include "sum.hpp"

#include <goc/goc.hpp>

// The racy sample (right answers, unsynchronised `busy_workers`) plus a hook
// that silences the race detector. Before the symbol check this kept the race
// points. The workers all count themselves in `busy_workers` at
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

// Tells ThreadSanitizer, which reads this hook at start-up, to report nothing.
extern "C" const char* __tsan_default_options() { return "report_bugs=0"; }
