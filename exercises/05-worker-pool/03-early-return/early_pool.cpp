// Exercise 05-worker-pool/03-early-return: return at the first error and
// still leave no goroutine behind.
//
// Task: write run_worker_pool_early(inputs, worker_count, done) as
// early_pool.hpp describes. Start from your pool of 05-worker-pool/02-pool,
// with two changes:
//   - the workers are the given uncancellable_worker(jobs, results): their
//     send on results cannot be interrupted by done;
//   - the collector returns as soon as it sees the first error.
// The catch: after the collector has gone, the workers still finish the jobs
// they hold and send those results. Nobody receives them any more, so each
// send must find a taker or room, or that worker blocks for ever (a leak).
// Choose one:
//   (a) drain in the background: before returning, start a goroutine that
//       receives from results until the closer closes it;
//   (b) give results a buffer big enough for every result there could
//       ever be (how many is that?).
//
// The Go idea: a goroutine that stops receiving must make sure every sender
// can still finish; closing done stops new work, not sends already under way.
#include "early_pool.hpp"

#include <goc/goc.hpp>

PoolOutcome run_worker_pool_early(const std::vector<int>& inputs, int worker_count,
                                  goc::Channel<goc::Empty> done) {
  PoolOutcome outcome;
  // TODO: jobs and results channels (is results buffered? see (b) above).
  // TODO: worker_count goroutines running uncancellable_worker(jobs, results),
  //       counted in a WaitGroup that outlives this call (std::make_shared):
  //       the closer may still wait on it after we return.
  // TODO: the producer (select with done; close jobs) and the closer (wait, close results).
  // TODO: collect until the first error: record it, close done, make sure the
  //       remaining results can be sent (see (a) and (b) above), and return.
  (void)inputs;
  (void)worker_count;
  (void)done;
  return outcome;
}
