// Reference solution for 02-channels/04-semaphore.
#include "semaphore.hpp"

#include <goc/goc.hpp>

void run_limited(int n, int limit, const std::function<void(int)>& task) {
  // `limit` slots: the buffer can hold `limit` tokens, so the (limit+1)-th
  // send blocks until some goroutine receives (gives its slot back).
  auto slots = goc::make_chan<goc::Empty>(static_cast<std::size_t>(limit));
  goc::WaitGroup wg;
  for (int i = 0; i < n; ++i) {
    wg.add(1);
    goc::go([&task, &wg, slots, i] {
      slots.send(goc::Empty{});  // acquire: blocks while `limit` tasks run
      task(i);
      slots.recv();              // release, only after the task has returned
      wg.done();
    });
  }
  wg.wait();
}
