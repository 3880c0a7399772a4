// Exercise 05-worker-pool/04-ordered-generic: a pool you can reuse: any job
// function, results in input order, and a cancel signal from the caller.
//
// Task: write run_ordered_pool(inputs, worker_count, job, cancel) as
// ordered_pool.hpp describes. Start from your pool of 05-worker-pool/02-pool:
//   - the jobs carry their position (index) as well as their input, and so
//     do the results: the collector puts each value at its index, so the
//     order in which jobs finish no longer matters;
//   - the work is the caller's `job`, not process_job;
//   - every wait that watches done (producer, workers) also watches cancel;
//     the collector still drains results, and afterwards tells a cancelled
//     run (fewer values than inputs) from a complete one.
//
// The Go idea: the same pool, reused, is a function that takes the work as a
// value (a func, here a std::function) and the caller's cancel signal (Go's
// ctx.Done()) and gives the results back in the caller's order.
#include "ordered_pool.hpp"

#include <goc/goc.hpp>

// TODO: a struct for a job (index, input) and one for a result (index, JobOutput).

OrderedOutcome run_ordered_pool(const std::vector<int>& inputs, int worker_count, JobFunction job,
                                goc::RecvChan<goc::Empty> cancel) {
  OrderedOutcome outcome;
  // TODO: channels: jobs, results, and the pool's own done (the caller's
  //       cancel is receive-only: you cannot and must not close it).
  // TODO: worker_count workers: select on jobs, done and cancel; call job;
  //       send {index, output} in a select with done and cancel too.
  // TODO: the producer sends {i, inputs[i]} for each i (select with done and
  //       cancel), then closes jobs; the closer closes results after the workers.
  // TODO: collect into a vector of inputs.size() values by index; close done
  //       at the first error (once); after the loop decide: error, canceled
  //       (not every job answered) or the values.
  (void)inputs;
  (void)worker_count;
  (void)job;
  (void)cancel;
  return outcome;
}
