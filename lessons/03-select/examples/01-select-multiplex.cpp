// Lesson 3, example 01: select waits on several channels at once.
//
// A plain recv() waits on one channel. goc::select (Go's `select`) waits on
// several operations and performs whichever becomes ready first; each case
// has a handler that runs when its case is chosen, and select returns the
// chosen case's position. If several are ready at the same moment, one is
// picked at random, so no channel can starve the others.
//
// Two goroutines answer after different delays; a loop of two selects takes
// each answer as it arrives, in arrival order, from whichever channel has it.
#include <cstdio>
#include <string>

#include "goc/goc.hpp"

using namespace std::chrono_literals;

int main() {
  auto fast = goc::make_chan<std::string>();
  auto slow = goc::make_chan<std::string>();
  goc::go([fast] {
    goc::sleep_for(50ms);
    fast.send("fast answer");
  });
  goc::go([slow] {
    goc::sleep_for(400ms);
    slow.send("slow answer");
  });

  //! [multiplex]
  // Go:
  //     for i := 0; i < 2; i++ {
  //         select {
  //         case msg := <-fast:
  //             fmt.Println("from fast:", msg)
  //         case msg := <-slow:
  //             fmt.Println("from slow:", msg)
  //         }
  //     }
  for (int i = 0; i < 2; ++i) {
    goc::select(
        goc::recv_case(fast, [](std::string msg) { std::printf("from fast: %s\n", msg.c_str()); }),
        goc::recv_case(slow, [](std::string msg) { std::printf("from slow: %s\n", msg.c_str()); }));
  }
  //! [multiplex]
}
