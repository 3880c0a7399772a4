#include "wait.hpp"
#include <atomic>
#include <goc/goc.hpp>
void run_and_wait(std::function<void()> job) {
  std::atomic<bool> finished{false};
  goc::go([=, &finished] { job(); });  // never sets `finished`
  while (!finished.load()) goc::sleep_for(std::chrono::milliseconds(1));
}
