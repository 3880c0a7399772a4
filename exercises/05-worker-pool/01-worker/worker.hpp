// Contract for exercise 05-worker-pool/01-worker (instructor-owned: do not edit).
#pragma once

#include <goc/goc.hpp>

#include "../pool_common.hpp"  // Result, process_job, negative_input_error

/// One worker of a pool. Go:
/// `func worker(jobs <-chan int, results chan<- result, done <-chan struct{})`.
///
/// It takes jobs one at a time and, for each, calls process_job(job) once and
/// sends the Result it returns on `results` (a negative job gives the error
/// result `negative input`, and the worker goes on with the next job).
///
/// It returns when `jobs` is closed (and empty) or when `done` is closed,
/// whichever comes first. Every wait is cancellable: waiting for a job and
/// waiting to send a result both also wait on `done`, so once done is closed
/// the worker returns promptly, even if nobody will ever receive its result
/// again, and it soon stops taking jobs (a select picks at random among ready
/// cases, so a job or two may still slip through; hundreds may not).
///
/// It never closes `results` (other workers may still be sending on it) and
/// starts no goroutine: how many workers run is the pool's decision.
void worker(goc::RecvChan<int> jobs, goc::SendChan<Result> results, goc::RecvChan<goc::Empty> done);
