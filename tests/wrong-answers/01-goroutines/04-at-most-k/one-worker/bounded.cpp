// WRONG: one goroutine processes every item: bounded, but never more than one call at a time.
#include "bounded.hpp"

#include <goc/goc.hpp>

void process_all(const std::vector<int>& items, int /*k*/, const std::function<void(int)>& process) {
  goc::WaitGroup wg;
  wg.add(1);
  goc::go([&] {
    for (int item : items) process(item);
    wg.done();
  });
  wg.wait();
}
