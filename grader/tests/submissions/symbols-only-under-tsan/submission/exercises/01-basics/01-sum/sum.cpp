#include "sum.hpp"

#include <goc/goc.hpp>

// Racy; under ThreadSanitizer alone (g++ or clang++) it asks the detector
// to ignore its workers' accesses. The plain build looks honest.
#if defined(__SANITIZE_THREAD__)
#define UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNDER_TSAN 1
#endif
#endif
#ifdef UNDER_TSAN
extern "C" void __tsan_ignore_thread_begin();
#define IGNORE_RACES() __tsan_ignore_thread_begin()
#else
#define IGNORE_RACES() (void)0
#endif

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
      IGNORE_RACES();
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
