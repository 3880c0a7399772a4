#include "wait.hpp"
#include <goc/goc.hpp>
void run_and_wait(std::function<void()> job) {
  goc::WaitGroup wg;
  wg.add(2);  // one more than the goroutines that call done()
  goc::go([=, &wg] { job(); wg.done(); });
  wg.wait();
}
