// Contract for exercise 01-goroutines/01-wait-dont-sleep (instructor-owned: do not edit).
#pragma once

#include <functional>

/// Runs `job` exactly once on a new goroutine and returns only after the job
/// has finished, so everything the job wrote is visible to the caller.
///
/// It must not run the job on the calling goroutine, must not return before
/// the job ends, and must return promptly once it has ended: a fixed sleep
/// fails one way or the other. It leaves no goroutine running behind it.
void run_and_wait(std::function<void()> job);
