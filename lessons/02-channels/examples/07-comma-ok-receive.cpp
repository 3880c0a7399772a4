// Lesson 2, example 07: the comma-ok receive tells a real value from "closed".
//
// A receive from a closed, drained channel does not block: it returns the
// element type's zero value at once. A plain recv() cannot tell that 0 from
// a real 0 someone sent. recv_ok() (Go's `v, ok := <-ch`) also returns ok:
// true for a value that was sent, false when the channel is closed and
// drained.
#include <cstdio>

#include "goc/goc.hpp"

int main() {
  //! [comma-ok]
  // Go:
  //     ch := make(chan int, 1)
  //     ch <- 0
  //     close(ch)
  //     v, ok := <-ch // 0 true: a real zero
  //     v, ok = <-ch  // 0 false: closed
  //     v = <-ch      // 0: a plain receive cannot tell
  auto ch = goc::make_chan<int>(1);
  ch.send(0);
  ch.close();
  auto [v1, ok1] = ch.recv_ok();
  std::printf("v=%d ok=%s  (a real zero that was sent)\n", v1, ok1 ? "true" : "false");
  auto [v2, ok2] = ch.recv_ok();
  std::printf("v=%d ok=%s (closed and drained)\n", v2, ok2 ? "true" : "false");
  std::printf("v=%d          (a plain recv cannot tell)\n", ch.recv());
  //! [comma-ok]
}
