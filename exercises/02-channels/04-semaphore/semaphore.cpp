// Exercise 02-channels/04-semaphore: a buffered channel as a counting semaphore.
//
// Task: run_limited(n, limit, task) (see semaphore.hpp) starts a goroutine per
// task; make sure that no more than `limit` tasks run at the same time.
//
// The Go idea: a buffered channel of capacity n holds at most n values, so
// sending into it blocks once n sends have not been matched by receives.
// That makes it a counting semaphore: `sem <- struct{}{}` takes a slot
// (waiting while all are taken) and `<-sem` gives it back.
#include "semaphore.hpp"

#include <goc/goc.hpp>

void run_limited(int n, int limit, const std::function<void(int)>& task) {
  // TODO: make a buffered channel with `limit` slots to act as the semaphore.
  (void)limit;
  goc::WaitGroup wg;
  for (int i = 0; i < n; ++i) {
    wg.add(1);
    goc::go([&task, &wg, i] {
      // TODO: take a slot before the task and give it back after.
      task(i);
      wg.done();
    });
  }
  wg.wait();
}
