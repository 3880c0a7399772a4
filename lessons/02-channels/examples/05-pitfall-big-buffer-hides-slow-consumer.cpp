// Lesson 2, example 05: PITFALL, a big buffer hides a slow consumer.
//
// When a producer keeps blocking, it is tempting to make the buffer bigger.
// If the consumer is slower on average, that only moves the problem: the
// producer races ahead and "finishes" at once, while the work piles up in the
// buffer. Nothing blocks and nothing fails, but memory grows with the queue,
// every item waits longer before it is handled, and the producer believes the
// work is done long before it is. With a small buffer the producer would have
// been slowed down (backpressure, example 03) and the mismatch would show.
//
// Size a buffer for the bursts you expect (example 04), not to make blocking
// go away; if the consumer is too slow, add consumers (lesson 5).
#include <cstdio>

#include "goc/goc.hpp"

using namespace std::chrono_literals;

int main() {
  //! [big-buffer]
  // Go:
  //     requests := make(chan int, 1000) // "big enough never to block"
  //     go func() {
  //         for r := range requests {
  //             time.Sleep(10 * time.Millisecond) // slow consumer
  //         }
  //     }()
  //     for r := 0; r < 50; r++ {
  //         requests <- r
  //     }
  //     fmt.Println("producer: all sent, len =", len(requests))
  auto requests = goc::make_chan<int>(1000);
  auto finished = goc::make_chan<goc::Empty>();
  goc::go([requests, finished] {
    for (int r : requests) {
      goc::sleep_for(10ms);  // the consumer is slow
      (void)r;
    }
    finished.close();
  });
  for (int r = 0; r < 50; ++r) requests.send(r);  // never waits
  std::size_t backlog = requests.len();
  std::printf("producer: all 50 requests sent without ever waiting\n");
  //! [big-buffer]
  std::printf("producer: more than 40 still waiting in the buffer: %s\n",
              backlog > 40 ? "yes" : "no");
  requests.close();
  finished.recv();
  std::printf("consumer: handled the backlog much later\n");
}
