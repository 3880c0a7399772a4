// Reference solution for 01-goroutines/02-race-counter.
#include "counter.hpp"

#include <mutex>

#include <goc/goc.hpp>

long count_concurrently(int goroutines, int increments_each) {
  long total = 0;
  // One mutex guards `total`: every goroutine reads and writes it only while
  // holding the lock, so no two read-modify-writes can interleave.
  goc::Mutex mu;
  goc::WaitGroup wg;
  for (int g = 0; g < goroutines; ++g) {
    wg.add(1);
    goc::go([&] {
      for (int i = 0; i < increments_each; ++i) {
        // The lock covers the whole step, the read as well as the write:
        // locking only the write would still let two goroutines read the
        // same value.
        std::lock_guard guard(mu);
        long seen = total;
        goc::yield();
        total = seen + 1;
      }
      wg.done();
    });
  }
  // wait() returns after every done(), and each done() comes after that
  // goroutine's last unlock, so reading total here needs no lock.
  wg.wait();
  return total;
}
