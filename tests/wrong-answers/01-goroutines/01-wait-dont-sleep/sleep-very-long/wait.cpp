// WRONG: sleeps a whole second "to be safe": every quick job now costs a second.
#include "wait.hpp"

#include <chrono>

#include <goc/goc.hpp>

void run_and_wait(std::function<void()> job) {
  goc::go(job);
  goc::sleep_for(std::chrono::seconds(1));
}
