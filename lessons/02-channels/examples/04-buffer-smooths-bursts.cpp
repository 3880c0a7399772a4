// Lesson 2, example 04: a small buffer smooths out bursts.
//
// Work often arrives in bursts: several items at once, then a quiet spell.
// With an unbuffered channel the producer would wait for the consumer at
// every item of a burst. A buffer as big as a burst absorbs it: the producer
// drops the whole burst into the buffer and goes back to its own business,
// and the consumer catches up during the quiet spell.
//
// This works because the consumer keeps up on average (4 items take it 20ms,
// the quiet spell lasts 300ms). Before each send the producer checks for a
// free slot; it is the only sender, so a free slot means the send will not
// wait.
#include <cstdio>

#include "goc/goc.hpp"

using namespace std::chrono_literals;

int main() {
  const int burst_size = 4;

  //! [bursts]
  // Go:
  //     queue := make(chan int, 4) // room for one burst
  //     for burst := 1; burst <= 3; burst++ {
  //         for i := 0; i < 4; i++ {
  //             queue <- burst*10 + i // never waits
  //         }
  //         time.Sleep(300 * time.Millisecond) // quiet spell
  //     }
  auto queue = goc::make_chan<int>(burst_size);
  auto finished = goc::make_chan<int>();
  goc::go([queue, finished] {
    int handled = 0;
    for (int item : queue) {
      goc::sleep_for(5ms);  // steady, modest pace
      (void)item;
      ++handled;
    }
    finished.send(handled);
  });
  for (int burst = 1; burst <= 3; ++burst) {
    bool waited = false;
    for (int i = 0; i < burst_size; ++i) {
      if (queue.len() == queue.cap()) waited = true;  // this send would have to wait
      queue.send(burst * 10 + i);
    }
    std::printf("burst %d: %d items sent, producer waited: %s\n", burst, burst_size,
                waited ? "yes" : "no");
    goc::sleep_for(300ms);  // quiet spell: the consumer catches up
  }
  queue.close();
  //! [bursts]
  std::printf("consumer handled %d items\n", finished.recv());
}
