// Lesson 2, example 03: backpressure, a full buffer slows the producer down.
//
// A fast producer and a slow consumer share a channel with room for 3. Once
// the buffer is full, the producer's next send waits until the consumer takes
// a value. The producer is therefore held to the consumer's pace: it can never
// get more than 3 values ahead, however fast it could go. That is backpressure,
// and it is what keeps a pipeline's memory bounded.
//
// The program measures how far ahead the producer ever got (sent minus
// received, as the consumer sees it) and checks it against the capacity.
#include <algorithm>
#include <atomic>
#include <cstdio>

#include "goc/goc.hpp"

using namespace std::chrono_literals;

int main() {
  std::atomic<int> sent{0};  // the producer's progress, read by the consumer

  //! [backpressure]
  // Go:
  //     queue := make(chan int, 3)
  //     go func() {
  //         for i := 1; i <= 10; i++ {
  //             queue <- i // waits while 3 values are queued
  //         }
  //         close(queue)
  //     }()
  //     for v := range queue {
  //         time.Sleep(20 * time.Millisecond) // slow consumer
  //     }
  auto queue = goc::make_chan<int>(3);
  goc::go([queue, &sent] {
    for (int i = 1; i <= 10; ++i) {
      queue.send(i);  // waits while the buffer is full
      sent.fetch_add(1);
    }
    queue.close();
  });
  int received = 0, most_ahead = 0;
  for (int v : queue) {
    ++received;
    most_ahead = std::max(most_ahead, sent.load() - received);
    std::printf("consumed %d\n", v);
    goc::sleep_for(20ms);  // the consumer is slow
  }
  //! [backpressure]

  std::printf("the producer was never more than %d values ahead: %s\n", int(queue.cap()),
              most_ahead <= int(queue.cap()) ? "yes" : "no");
}
