// Contract for exercise 05-worker-pool/02-pool (instructor-owned: do not edit).
#pragma once

#include <vector>

#include <goc/goc.hpp>

#include "../pool_common.hpp"  // Result, PoolOutcome, process_job, negative_input_error

/// Goroutines the pool may run besides its workers: the producer (sends the
/// jobs, then closes jobs) and the closer (closes results once every worker
/// has returned). The collector is the calling goroutine itself.
inline constexpr int pool_helper_goroutines = 2;

/// Runs process_job on every input with exactly `worker_count` worker
/// goroutines (worker_count >= 1) and returns the successful results, in any
/// order, and the first error received. Go:
/// `func runWorkerPool(inputs []int, workerCount int, done chan struct{}) ([]result, error)`.
///
/// - Without a negative input: exactly one result per input, first_error empty.
/// - With one: first_error is `negative input` (error results are not put in
///   `results`), and the pool stops early: the producer stops sending jobs
///   once done is closed and the workers stop taking them, so with many
///   inputs and an early negative one only a small part of them is processed.
/// - Bounded: never more than worker_count + pool_helper_goroutines goroutines
///   of the call at once, whatever the number of inputs (10,000 or none).
/// - `done` is the pool's cancel signal. The caller passes it open and never
///   closes it. The collector closes it exactly once, when it records the
///   first error: never twice, never from two places. (Without an error it
///   may stay open; closing it once at the end is allowed too.)
/// - The collector ranges over results until the closer has closed it, so
///   when the call returns every worker has returned too; the producer may
///   take a moment longer, but no goroutine of the call stays alive or blocked.
/// - Empty `inputs`: returns at once with no results and no error.
PoolOutcome run_worker_pool(const std::vector<int>& inputs, int worker_count,
                            goc::Channel<goc::Empty> done);

/// The same with a done channel of its own (the usual way to call it).
inline PoolOutcome run_worker_pool(const std::vector<int>& inputs, int worker_count) {
  return run_worker_pool(inputs, worker_count, goc::make_chan<goc::Empty>());
}
