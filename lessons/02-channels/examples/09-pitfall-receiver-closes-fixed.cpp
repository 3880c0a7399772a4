// Lesson 2, example 09: the receiver says "stop" without closing the data.
//
// The fix for example 08 gives each channel one owner that closes it:
//   - `numbers` belongs to the producer: it sends on it and it closes it;
//   - `quit` belongs to the receiver: it closes it to say "I want no more".
// The producer waits on both at once with select (lesson 3): either its next
// value is taken, or quit is closed and it stops. Either way it is the one to
// close `numbers`, and no send can ever hit a closed channel.
//
// After closing quit the receiver drains `numbers` until it is closed, so it
// knows the producer has finished.
#include <cstdio>

#include "goc/goc.hpp"

int main() {
  //! [owner-closes]
  // Go:
  //     numbers := make(chan int)
  //     quit := make(chan struct{})
  //     go func() {
  //         defer close(numbers) // the sender closes its channel
  //         for n := 1; ; n++ {
  //             select {
  //             case numbers <- n:
  //             case <-quit:
  //                 return
  //             }
  //         }
  //     }()
  //     fmt.Println(<-numbers, <-numbers)
  //     close(quit) // the receiver closes ITS channel
  //     for range numbers {
  //     }
  auto numbers = goc::make_chan<int>();
  auto quit = goc::make_chan<goc::Empty>();
  goc::go([numbers, quit] {
    bool stop = false;
    for (int n = 1; !stop; ++n) {
      goc::select(goc::send_case(numbers, n),
                  goc::recv_case(quit, [&] { stop = true; }));
    }
    numbers.close();  // the sender closes its channel
  });
  int a = numbers.recv();
  int b = numbers.recv();
  std::printf("received %d and %d, that is enough\n", a, b);
  quit.close();  // the receiver closes ITS channel
  for (int late : numbers) (void)late;  // drain until the producer has closed
  //! [owner-closes]
  std::printf("the producer stopped and closed its channel\n");
}
