// Contract for exercise 05-worker-pool/04-ordered-generic (instructor-owned: do not edit).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <goc/goc.hpp>

/// What a job function returns: Go's `(value, error)` pair.
struct JobOutput {
  long long value = 0;
  std::string error;  ///< empty on success
};

/// The work of one job: any function from an input to a JobOutput. The pool
/// calls it on its worker goroutines, up to worker_count calls at once, so it
/// must be safe to call concurrently. It must not throw: a failure is a
/// JobOutput with a non-empty error.
using JobFunction = std::function<JobOutput(int input)>;

/// What run_ordered_pool returns.
struct OrderedOutcome {
  std::vector<long long> values;  ///< values[i] = job(inputs[i]).value; empty unless error is empty
  std::string error;              ///< the first error received, canceled_error, or empty
};

/// The error of a run the caller cancelled before every job had finished.
inline const std::string canceled_error = "canceled";

/// Goroutines the pool may run besides its workers: the producer, the
/// closer, and one more if you want one (say, to forward cancel).
inline constexpr int pool_helper_goroutines = 3;

/// A reusable worker pool: runs `job` on every input with exactly
/// `worker_count` worker goroutines (worker_count >= 1) and returns the
/// values in input order.
///
/// - Success: job is called exactly once per input; values.size() ==
///   inputs.size() and values[i] is the value of job(inputs[i]), whatever
///   order the jobs finished in; error is empty.
/// - Errors: at the first JobOutput with an error, the pool stops as the pool
///   of exercise 02 does (its own done channel, closed once, at that first
///   error; the producer stops, the workers stop taking jobs) and returns
///   that error with no values.
/// - `cancel` belongs to the caller, who may close it at any time (the pool
///   only receives from it; a nil channel, `goc::RecvChan<goc::Empty>{}`,
///   means "never cancelled"). Once it is closed, no new job starts (a select
///   may let one or two slip through) and the pool returns with error
///   `canceled` and no values, unless every job had already finished or a job
///   error came first. Cancelling takes effect within about one job's time.
/// - It returns only after every call of `job` has returned and every worker
///   has exited; no goroutine of the call is left blocked or alive (the
///   producer may take a moment to finish).
/// - Bounded: never more than worker_count + pool_helper_goroutines
///   goroutines of the call at once, whatever the number of inputs.
/// - Empty `inputs`: returns at once with no values, no error, no job call.
OrderedOutcome run_ordered_pool(const std::vector<int>& inputs, int worker_count, JobFunction job,
                                goc::RecvChan<goc::Empty> cancel);
