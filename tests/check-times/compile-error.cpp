#include "wait.hpp"
#include <goc/goc.hpp>
void run_and_wait(std::function<void()> job) {
  goc::WaitGroup wg
  wg.add(1);
  goc::go([=, &wg] { job(); wg.done(); });
  wg.wait();
}
