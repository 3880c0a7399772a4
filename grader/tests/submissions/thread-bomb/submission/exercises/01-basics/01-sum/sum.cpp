#include "sum.hpp"

#include <chrono>
#include <thread>

// Starts threads without end (each sleeps for an hour).
long parallel_sum(const std::vector<int>& values, int workers) {
  (void)values;
  (void)workers;
  for (;;) std::thread([] { std::this_thread::sleep_for(std::chrono::hours(1)); }).detach();
}
