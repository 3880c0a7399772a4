// Lesson 4, example 03: example 02 fixed, add() before go().
//
// The same program, with the same gate holding the goroutines back, but the
// parent counts them in before starting them. Now wait() cannot return until
// all three have called done(), whatever the scheduler does.
#include <atomic>
#include <cstdio>

#include "goc/goc.hpp"

int main() {
  std::atomic<int> finished{0};
  auto gate = goc::make_chan<goc::Empty>();

  //! [add-before-go]
  // Go:
  //     for i := 0; i < 3; i++ {
  //         wg.Add(1) // in the parent, before go
  //         go func() {
  //             defer wg.Done()
  //             work()
  //         }()
  //     }
  //     wg.Wait()
  goc::WaitGroup wg;
  for (int i = 0; i < 3; ++i) {
    wg.add(1);  // counted before the goroutine exists
    goc::go([&wg, &finished, gate] {
      gate.recv();
      finished.fetch_add(1);
      wg.done();
    });
  }
  gate.close();  // let them run (any time before or after wait() starts)
  wg.wait();
  //! [add-before-go]

  std::printf("wait() returned after %d of 3 workers finished\n", finished.load());
}
