// Contract for exercise 02-channels/04-semaphore (instructor-owned: do not edit).
#pragma once

#include <functional>

/// Calls task(i) for every i in 0..n-1, each on its own goroutine, with at
/// most `limit` calls of task running at the same time (limit >= 1, n >= 0).
/// The bound is kept with a buffered channel used as a counting semaphore.
/// When n >= limit, `limit` calls do run at the same time at some point.
/// Returns after every call has returned; no goroutine is left running.
void run_limited(int n, int limit, const std::function<void(int)>& task);
