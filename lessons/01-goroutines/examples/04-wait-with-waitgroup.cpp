// Lesson 1, example 04: waiting properly, with a WaitGroup.
//
// goc::WaitGroup (Go's sync.WaitGroup) counts goroutines that still have to
// finish. The parent adds one for each goroutine before starting it, each
// goroutine calls done() as its last step, and wait() blocks until the count
// is back to zero. It waits exactly as long as needed: no guessing.
//
// wait() also makes the goroutines' writes visible to the parent: each done()
// happens before the wait() it releases returns, so main can read `squares`
// afterwards without a lock. (Lesson 4 returns to WaitGroup in detail.)
#include <cstdio>
#include <vector>

#include "goc/goc.hpp"

using namespace std::chrono_literals;

int main() {
  std::vector<int> squares(3);

  //! [waitgroup]
  // Go:
  //     var wg sync.WaitGroup
  //     for i := 0; i < 3; i++ {
  //         wg.Add(1)
  //         go func() {
  //             defer wg.Done()
  //             time.Sleep(time.Duration(i*50) * time.Millisecond)
  //             squares[i] = i * i
  //         }()
  //     }
  //     wg.Wait()
  goc::WaitGroup wg;
  for (int i = 0; i < 3; ++i) {
    wg.add(1);  // before go(), never inside the goroutine
    goc::go([i, &wg, &squares] {
      goc::sleep_for(i * 50ms);  // the goroutines take different times
      squares[i] = i * i;        // each writes only its own slot
      wg.done();
    });
  }
  wg.wait();  // returns once all three called done()
  //! [waitgroup]

  for (int i = 0; i < 3; ++i) std::printf("square of %d is %d\n", i, squares[i]);
}
