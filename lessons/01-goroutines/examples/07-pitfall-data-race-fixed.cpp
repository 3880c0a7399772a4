// Lesson 1, example 07: the data race of example 06, fixed with a Mutex.
//
// goc::Mutex (Go's sync.Mutex) lets one goroutine at a time run the code
// between lock() and unlock(), so each read-add-write completes before the
// next one starts, and every increment counts. std::lock_guard is the C++ form
// of Go's `mu.Lock(); defer mu.Unlock()`: it unlocks at the end of the block
// whatever happens.
//
// Other fixes work too: give each goroutine its own counter and add them up
// at the end, or send the partial sums over a channel (lesson 2). ThreadSanitizer
// has nothing to report about this version.
#include <cstdio>
#include <mutex>

#include "goc/goc.hpp"

int main() {
  //! [mutex-fix]
  // Go:
  //     var mu sync.Mutex
  //     ...
  //             for i := 0; i < 100000; i++ {
  //                 mu.Lock()
  //                 counter++
  //                 mu.Unlock()
  //             }
  long counter = 0;
  goc::Mutex mu;
  goc::WaitGroup wg;
  for (int g = 0; g < 4; ++g) {
    wg.add(1);
    goc::go([&counter, &mu, &wg] {
      for (int i = 0; i < 100000; ++i) {
        std::lock_guard guard(mu);  // one goroutine at a time
        ++counter;
      }
      wg.done();
    });
  }
  wg.wait();
  //! [mutex-fix]
  std::printf("counter = %ld (4 goroutines x 100000 increments = 400000 expected)\n", counter);
}
