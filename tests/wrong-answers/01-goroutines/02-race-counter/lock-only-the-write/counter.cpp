// WRONG: locks only the write back; two goroutines still read the same value, so updates are lost.
#include "counter.hpp"

#include <mutex>

#include <goc/goc.hpp>

long count_concurrently(int goroutines, int increments_each) {
  long total = 0;
  goc::Mutex mu;
  goc::WaitGroup wg;
  for (int g = 0; g < goroutines; ++g) {
    wg.add(1);
    goc::go([&] {
      for (int i = 0; i < increments_each; ++i) {
        long seen = total;
        goc::yield();
        std::lock_guard guard(mu);
        total = seen + 1;
      }
      wg.done();
    });
  }
  wg.wait();
  return total;
}
