// WRONG: sleeps 200 ms instead of waiting; a slower job is still running when it returns.
#include "wait.hpp"

#include <chrono>

#include <goc/goc.hpp>

void run_and_wait(std::function<void()> job) {
  goc::go(job);
  goc::sleep_for(std::chrono::milliseconds(200));
}
