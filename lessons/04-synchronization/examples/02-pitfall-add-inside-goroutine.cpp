// Lesson 4, example 02: PITFALL, calling add() inside the goroutine.
//
// go() returns before the new goroutine has run a single line. If the
// goroutine itself calls add(1), the parent can reach wait() while the counter
// is still zero, and wait() returns at once: nothing is waited for.
//
// On a quiet machine the goroutines usually win that race, which is why this
// bug survives testing. Here a gate holds the goroutines back, to show the
// unlucky schedule every time: wait() returns with none of the work done.
// The fix is rule 1 of example 01 (and example 03): add() in the parent,
// before go().
#include <atomic>
#include <cstdio>

#include "goc/goc.hpp"

int main() {
  std::atomic<int> finished{0};
  auto gate = goc::make_chan<goc::Empty>();  // opened too late, on purpose

  //! [add-inside]
  // Go:
  //     for i := 0; i < 3; i++ {
  //         go func() {
  //             wg.Add(1) // BUG: may run after wg.Wait() has returned
  //             defer wg.Done()
  //             work()
  //         }()
  //     }
  //     wg.Wait()
  goc::WaitGroup wg;
  for (int i = 0; i < 3; ++i) {
    goc::go([&wg, &finished, gate] {
      gate.recv();  // stands for "this goroutine was not scheduled yet"
      wg.add(1);    // BUG: too late, the parent may already be past wait()
      finished.fetch_add(1);
      wg.done();
    });
  }
  wg.wait();  // the counter is still 0: returns at once
  //! [add-inside]

  std::printf("wait() returned after %d of 3 workers finished\n", finished.load());
}
