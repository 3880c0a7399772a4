// Exercise 05-worker-pool/02-pool: a bounded worker pool that stops at the
// first error.
//
// Task: write run_worker_pool(inputs, worker_count, done) as pool.hpp
// describes, out of four kinds of goroutine:
//   - worker_count workers: your worker from 05-worker-pool/01-worker;
//   - a producer: sends every input on jobs, gives up when done is closed,
//     and closes jobs either way (it is the only sender, so it may close);
//   - a closer: waits for every worker (goc::WaitGroup), then closes results;
//   - the collector: this function itself; it ranges over results, keeps the
//     successful ones, records the first error and then closes done, once.
//
// The Go idea: whoever sends on a channel closes it, and only once every
// sender is finished; done is closed by one party, once, and everybody else
// only listens to it.
#include "pool.hpp"

#include <goc/goc.hpp>

namespace {

// TODO: paste your worker from exercise 05-worker-pool/01-worker here.
void worker(goc::RecvChan<int> jobs, goc::SendChan<Result> results,
            goc::RecvChan<goc::Empty> done) {
  (void)jobs;
  (void)results;
  (void)done;
}

}  // namespace

PoolOutcome run_worker_pool(const std::vector<int>& inputs, int worker_count,
                            goc::Channel<goc::Empty> done) {
  PoolOutcome outcome;
  // TODO: make the jobs and results channels.
  // TODO: start worker_count workers; count them in a goc::WaitGroup.
  // TODO: start the producer: each input in a select with done; close jobs at the end.
  //       (Copy inputs into it: it may still run for a moment after we return.)
  // TODO: start the closer: wait for the workers, then close results.
  // TODO: collect: for (Result r : results) { ... } keeping the successful
  //       results and the first error; close done when you record the first
  //       error (and never a second time), and keep ranging to the end.
  (void)inputs;
  (void)worker_count;
  (void)done;
  (void)&worker;
  return outcome;
}
