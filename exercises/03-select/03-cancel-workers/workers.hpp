// Contract for exercise 03-select/03-cancel-workers (instructor-owned: do not edit).
#pragma once

#include <functional>

#include <goc/goc.hpp>

/// Starts `n` workers (n >= 1). Each worker repeatedly receives a job from
/// `jobs` and calls handle(job), until it is told to stop. Nobody closes
/// `jobs`: the stop signal is a separate done channel that stop() closes
/// and that every worker selects on while it waits for a job.
///
/// Returns the stop function. Calling it once (it is called exactly once)
/// stops every worker: a worker in the middle of handle finishes that job
/// first, an idle worker stops at once. stop() returns only after every
/// worker has returned; after that, no worker receives from `jobs` any more.
std::function<void()> start_workers(int n, goc::RecvChan<int> jobs,
                                    std::function<void(int)> handle);
