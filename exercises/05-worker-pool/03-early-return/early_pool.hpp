// Contract for exercise 05-worker-pool/03-early-return (instructor-owned: do not edit).
#pragma once

#include <vector>

#include <goc/goc.hpp>

#include "../pool_common.hpp"  // Result, PoolOutcome, process_job, negative_input_error

/// Goroutines the pool may run besides its workers: the producer, the
/// closer, and one more for draining results in the background if that is
/// how you keep the workers from blocking.
inline constexpr int pool_helper_goroutines = 3;

/// The worker of this exercise, given to you. Like code you cannot change, it
/// sends every result with a plain send that done cannot interrupt: once it
/// has a result it waits, for ever if need be, until the result is taken or
/// there is room for it in the channel. It stops when jobs is closed.
/// Start exactly worker_count goroutines that each run it.
inline void uncancellable_worker(goc::RecvChan<int> jobs, goc::SendChan<Result> results) {
  ++job_probe::state().workers_started;  // lets the tests count the workers
  for (int job : jobs) results.send(process_job(job));
}

/// The pool of 05-worker-pool/02-pool, except that it returns at the first
/// error instead of draining results. Runs process_job on every input with
/// exactly `worker_count` goroutines running uncancellable_worker
/// (worker_count >= 1).
///
/// - Without a negative input: exactly one result per input (any order),
///   first_error empty.
/// - At the first error result: records `negative input`, closes done, and
///   returns at once, with the successful results received so far. It does
///   not wait for jobs still in progress, nor for the results still to come.
/// - Afterwards every goroutine of the call finishes on its own as soon as the
///   jobs in progress end: none stays blocked. The producer stops sending
///   jobs once done is closed (so far fewer than all jobs run after an early
///   error), and every result still to come must find a taker or room:
///   drain results in the background, or give results a buffer that can hold
///   every result there could ever be.
/// - Bounded: never more than worker_count + pool_helper_goroutines
///   goroutines of the call at once, whatever the number of inputs.
/// - `done`: passed open by the caller, closed by the collector exactly once,
///   at the first error (without an error it may stay open, or be closed
///   once at the end).
/// - Empty `inputs`: returns at once with no results and no error.
PoolOutcome run_worker_pool_early(const std::vector<int>& inputs, int worker_count,
                                  goc::Channel<goc::Empty> done);

/// The same with a done channel of its own.
inline PoolOutcome run_worker_pool_early(const std::vector<int>& inputs, int worker_count) {
  return run_worker_pool_early(inputs, worker_count, goc::make_chan<goc::Empty>());
}
