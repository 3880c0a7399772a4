#include "counter.hpp"

#include <mutex>

void Counter::increment() {
  std::lock_guard lock(mu_);
  ++count_;
}

long Counter::value() {
  std::lock_guard lock(mu_);
  return count_;
}

void count_concurrently(Counter& counter, int goroutines, int times) {
  goc::WaitGroup wg;
  wg.add(goroutines);
  for (int g = 0; g < goroutines; ++g) {
    goc::go([&counter, &wg, times] {
      for (int i = 0; i < times; ++i) counter.increment();
      wg.done();
    });
  }
  wg.wait();
}
