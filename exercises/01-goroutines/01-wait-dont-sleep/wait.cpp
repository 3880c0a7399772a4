// Exercise 01-goroutines/01-wait-dont-sleep: wait for a goroutine, don't sleep.
//
// Task: run_and_wait(job) starts `job` on a goroutine and must return only
// once that job has finished (see wait.hpp). This version sleeps instead of
// waiting, so it returns too early whenever the job is slower than the guess.
//
// The Go idea: nothing waits for a goroutine unless you make it. In Go the
// caller waits with a sync.WaitGroup (or receives from a channel the goroutine
// sends on when it is done); time.Sleep only guesses and is never a wait.
#include "wait.hpp"

#include <chrono>

#include <goc/goc.hpp>

void run_and_wait(std::function<void()> job) {
  goc::go(job);
  // TODO: wait until the job has finished. Sleeping guesses how long the job
  // takes; replace the sleep with a real wait (goc::WaitGroup, or a channel).
  goc::sleep_for(std::chrono::milliseconds(10));
}
