// Exercise 03-select/03-cancel-workers: N workers stopped by closing done.
//
// Task: complete start_workers() (see workers.hpp). As written the workers
// take jobs forever, and stop() does nothing.
//
// The Go idea: a worker that blocks on `<-jobs` cannot hear anything else.
// Make it wait in a select on two channels, a job or `<-done`. Closing a
// channel wakes every receiver, now and later, so one close(done) tells all
// N workers at once; a sync.WaitGroup then lets the stopper wait until they
// have all returned (otherwise they leak).
#include "workers.hpp"

#include <memory>

std::function<void()> start_workers(int n, goc::RecvChan<int> jobs,
                                    std::function<void(int)> handle) {
  // TODO: make a done channel and a WaitGroup that the workers and the stop
  // function share (they must outlive this function: std::shared_ptr).
  for (int w = 0; w < n; ++w) {
    goc::go([jobs, handle] {
      // TODO: also stop when done is closed: wait on both with goc::select,
      // and tell the WaitGroup when this worker returns.
      for (int job : jobs) handle(job);
    });
  }
  return [] {
    // TODO: close done, then wait until every worker has returned.
  };
}
