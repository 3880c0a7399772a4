// Lesson 1, example 08: PITFALL, capturing the loop variable by reference.
//
// The lambda below captures everything by reference ([&]), the loop variable
// `i` included. The goroutine does not copy `i` when it is started; it reads
// it whenever it gets round to it, while main has already moved on to `++i`.
// So the goroutines print whatever `i` holds at that moment (often 3, the
// value that ended the loop), not 0, 1 and 2. Reading `i` while main writes it
// is a data race (ThreadSanitizer reports it), and a goroutine that runs after
// the loop has ended reads a variable that no longer exists.
//
// Go had the same bug until Go 1.22, where a `for` loop shared one variable
// across all its iterations. Since Go 1.22 every iteration gets its own
// variable, so the Go code below is correct today. C++ did not change:
// capture by reference still shares the variable. The fix is example 09.
#include <cstdio>

#include "goc/goc.hpp"

int main() {
  auto seen = goc::make_chan<int>(3);
  goc::WaitGroup wg;

  //! [capture-by-reference]
  // Go (a bug before Go 1.22, fine since):
  //     for i := 0; i < 3; i++ {
  //         wg.Add(1)
  //         go func() {
  //             defer wg.Done()
  //             seen <- i
  //         }()
  //     }
  for (int i = 0; i < 3; ++i) {
    wg.add(1);
    goc::go([&] {    // BUG: `i` is captured by reference
      seen.send(i);  // reads i whenever it runs: DATA RACE with ++i
      wg.done();
    });
  }
  //! [capture-by-reference]
  wg.wait();
  seen.close();
  for (int v : seen) std::printf("a goroutine saw i = %d\n", v);
}
