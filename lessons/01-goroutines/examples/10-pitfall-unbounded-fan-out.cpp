// Lesson 1, example 10: PITFALL, uncontrolled fan-out (a goroutine per item).
//
// Starting one goroutine per item is easy to write and fine for ten items.
// For a list that can grow, the number of goroutines alive at once grows with
// it. A goroutine itself is cheap (a few kilobytes in Go; in goc a stack
// that is mapped as it is used), so the pain comes from what each one holds
// open (memory, connections, files) and from work that no longer has any
// bound.
//
// goc has a fan-out guard: go() throws goc::Panic instead of starting a
// goroutine past goc::max_goroutines() (2000 by default). This example lowers
// the limit to 100 so the crash comes quickly, watches the count climb with
// goc::num_goroutine() and goc::peak_goroutines(), and then dies of the
// guard's panic at item 100, with exit status 2. The bounded alternative is
// example 11.
#include <cstdio>

#include "goc/goc.hpp"

int main() {
  goc::set_max_goroutines(100);  // the guard's limit, lowered for the demo
  auto release = goc::make_chan<goc::Empty>();

  //! [fan-out]
  // Go:
  //     for item := 1; item <= 1000; item++ {
  //         go func() { handle(item) }() // one goroutine per item
  //     }
  for (int item = 1; item <= 1000; ++item) {
    goc::go([release, item] {
      release.recv();  // handling takes a while: every goroutine stays alive
      (void)item;
    });
    if (item % 25 == 0) {
      std::printf("after %d items: %zu goroutines alive, peak %zu\n", item,
                  goc::num_goroutine(), goc::peak_goroutines());
      std::fflush(stdout);  // keep the line if the next go() crashes the program
    }
  }
  //! [fan-out]
  release.close();
  std::printf("never reached\n");
}
