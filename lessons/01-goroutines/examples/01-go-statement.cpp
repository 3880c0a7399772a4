// Lesson 1, example 01: starting a goroutine.
//
// `goc::go(f, args...)` runs `f(args...)` on a new goroutine and returns at
// once. The caller does not wait for `f` to finish, or even to start: both
// run at the same time from then on.
//
// Here the goroutine computes a square slowly and hands it back over a
// channel. main prints its own line first, because go() came back while the
// work was still going on; the receive at the end is what makes main wait for
// the answer (channels are lesson 2).
#include <cstdio>

#include "goc/goc.hpp"

using namespace std::chrono_literals;

//! [function]
// Any function can be the body of a goroutine. Its arguments are copied into
// the goroutine when go() is called, just as Go evaluates the arguments of a
// `go` statement on the spot.
//
// Go:
//     func slowSquare(n int, out chan<- int) {
//         time.Sleep(200 * time.Millisecond)
//         out <- n * n
//     }
void slow_square(int n, goc::SendChan<int> out) {
  goc::sleep_for(200ms);  // stands in for real work
  out.send(n * n);
}
//! [function]

int main() {
  auto answers = goc::make_chan<int>();

  //! [go-function]
  // Go: go slowSquare(7, answers)
  goc::go(slow_square, 7, answers);
  std::printf("main: go() has returned, the square of 7 is still being computed\n");
  std::printf("main: received %d\n", answers.recv());
  //! [go-function]

  //! [go-lambda]
  // A lambda is the C++ form of Go's `go func() { ... }()`. Capture by value
  // ([=]) so the goroutine owns copies of what it uses.
  //
  // Go:
  //     n := 8
  //     go func() { answers <- n * n }()
  int n = 8;
  goc::go([=] { answers.send(n * n); });
  std::printf("main: received %d\n", answers.recv());
  //! [go-lambda]
}
