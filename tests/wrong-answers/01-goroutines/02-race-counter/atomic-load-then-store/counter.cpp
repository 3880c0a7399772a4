// WRONG: an atomic variable, but load and store are two steps: no data race, yet updates are lost.
#include "counter.hpp"

#include <atomic>

#include <goc/goc.hpp>

long count_concurrently(int goroutines, int increments_each) {
  std::atomic<long> total{0};
  goc::WaitGroup wg;
  for (int g = 0; g < goroutines; ++g) {
    wg.add(1);
    goc::go([&] {
      for (int i = 0; i < increments_each; ++i) {
        long seen = total.load();
        goc::yield();
        total.store(seen + 1);
      }
      wg.done();
    });
  }
  wg.wait();
  return total.load();
}
