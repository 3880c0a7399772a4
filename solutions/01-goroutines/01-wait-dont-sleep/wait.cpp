// Reference solution for 01-goroutines/01-wait-dont-sleep.
#include "wait.hpp"

#include <goc/goc.hpp>

void run_and_wait(std::function<void()> job) {
  goc::WaitGroup wg;
  // add() before go(): the count must be 1 before wait() can look at it,
  // whichever of the two goroutines runs first.
  wg.add(1);
  // Capturing wg by reference is safe: this function does not return (and
  // wg does not die) until wait() has returned, which is after done().
  goc::go([&wg, job = std::move(job)] {
    job();
    // done() happens before wait() returns, so the job's writes are visible
    // to our caller without any further synchronization.
    wg.done();
  });
  // Blocks exactly as long as the job takes: no guess, no busy loop.
  wg.wait();
}
