// WRONG: each goroutine locks its own mutex, which excludes nobody: still a race, still lost updates.
#include "counter.hpp"

#include <mutex>

#include <goc/goc.hpp>

long count_concurrently(int goroutines, int increments_each) {
  long total = 0;
  goc::WaitGroup wg;
  for (int g = 0; g < goroutines; ++g) {
    wg.add(1);
    goc::go([&] {
      goc::Mutex mu;
      for (int i = 0; i < increments_each; ++i) {
        std::lock_guard guard(mu);
        long seen = total;
        goc::yield();
        total = seen + 1;
      }
      wg.done();
    });
  }
  wg.wait();
  return total;
}
