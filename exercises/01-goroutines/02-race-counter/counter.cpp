// Exercise 01-goroutines/02-race-counter: fix the racy shared counter.
//
// Task: count_concurrently() (see counter.hpp) lets several goroutines add to
// one total. As written they read and write `total` at the same time, so
// increments get lost and the race detector reports a data race. Make every
// increment count, keeping the goroutines concurrent.
//
// The Go idea: goroutines that share memory must synchronize every access to
// it. A read-modify-write such as `total++` is not one step: two goroutines
// can read the same value and both write back value+1. In Go you guard the
// shared variable with a sync.Mutex (or give it to a single goroutine, or use
// sync/atomic); `go test -race` finds the accesses you forgot.
#include "counter.hpp"


#include <goc/goc.hpp>

long count_concurrently(int goroutines, int increments_each) {
  long total = 0;
  // TODO: add what protects `total` from concurrent access.
  goc::WaitGroup wg;
  for (int g = 0; g < goroutines; ++g) {
    wg.add(1);
    goc::go([&] {
      for (int i = 0; i < increments_each; ++i) {
        // TODO: make this read-modify-write one indivisible step. It is spelled
        // out, with goc::yield() (Go: runtime.Gosched()) in the middle, so
        // that other goroutines run between the read and the write and the
        // lost updates show up on every run instead of once in a while.
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
