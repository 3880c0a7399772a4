// WRONG: busy-waits on a volatile bool the goroutine sets: volatile is not synchronization, so this is a data race (and burns a CPU).
// CAUGHT BY: race
#include "wait.hpp"

#include <goc/goc.hpp>

void run_and_wait(std::function<void()> job) {
  volatile bool finished = false;
  goc::go([&] {
    job();
    finished = true;
  });
  while (!finished) {
  }
}
