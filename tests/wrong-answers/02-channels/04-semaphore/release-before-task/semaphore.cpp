// WRONG: gives the slot back before running the task, so the semaphore bounds nothing.
#include "semaphore.hpp"

#include <goc/goc.hpp>

void run_limited(int n, int limit, const std::function<void(int)>& task) {
  auto slots = goc::make_chan<goc::Empty>(static_cast<std::size_t>(limit));
  goc::WaitGroup wg;
  for (int i = 0; i < n; ++i) {
    wg.add(1);
    goc::go([&task, &wg, slots, i] {
      slots.send(goc::Empty{});
      slots.recv();
      task(i);
      wg.done();
    });
  }
  wg.wait();
}
