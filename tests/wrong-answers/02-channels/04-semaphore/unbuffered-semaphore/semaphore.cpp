// WRONG: an unbuffered channel as the semaphore: the first acquire waits for a receive that never comes.
#include "semaphore.hpp"

#include <goc/goc.hpp>

void run_limited(int n, int /*limit*/, const std::function<void(int)>& task) {
  auto slots = goc::make_chan<goc::Empty>();
  goc::WaitGroup wg;
  for (int i = 0; i < n; ++i) {
    wg.add(1);
    goc::go([&task, &wg, slots, i] {
      slots.send(goc::Empty{});
      task(i);
      slots.recv();
      wg.done();
    });
  }
  wg.wait();
}
