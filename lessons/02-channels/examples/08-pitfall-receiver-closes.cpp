// Lesson 2, example 08: PITFALL, the receiver closes the channel.
//
// Only the sender knows when there are no more values, so only the sender may
// close. Here the receiver has had enough after two values and closes the
// channel "to tell the producer to stop". But close() means "no more values
// will be sent"; the producer does not know about it and sends again, and a
// send on a closed channel panics. The program dies with
// `panic: send on closed channel` and exit status 2, as in Go.
//
// (With several senders it is worse: no receiver can know whether some sender
// is about to send.) To say "stop" to a sender, use a second channel that the
// receiver owns: example 09.
#include <cstdio>

#include "goc/goc.hpp"

int main() {
  auto finished = goc::make_chan<goc::Empty>();

  //! [receiver-closes]
  // Go:
  //     numbers := make(chan int)
  //     go func() {
  //         for n := 1; ; n++ {
  //             numbers <- n // panics once the receiver has closed
  //         }
  //     }()
  //     fmt.Println(<-numbers, <-numbers)
  //     close(numbers) // BUG: the receiver closes
  auto numbers = goc::make_chan<int>();
  goc::go([numbers, finished] {
    for (int n = 1;; ++n) numbers.send(n);  // panics once the receiver has closed
    finished.close();                       // never reached
  });
  int a = numbers.recv();
  int b = numbers.recv();
  std::printf("received %d and %d, that is enough\n", a, b);
  std::fflush(stdout);  // keep the line: the program is about to crash
  numbers.close();      // BUG: the receiver closes
  //! [receiver-closes]
  finished.recv();  // the producer panics before this could return
  std::printf("never reached\n");
}
