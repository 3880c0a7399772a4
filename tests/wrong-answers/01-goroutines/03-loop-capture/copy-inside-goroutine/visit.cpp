// WRONG: copies the index inside the goroutine, which is too late: the loop may already have moved on.
#include "visit.hpp"

#include <goc/goc.hpp>

void visit_each_index(int n, const std::function<void(int)>& visit) {
  goc::WaitGroup wg;
  for (int i = 0; i < n; ++i) {
    wg.add(1);
    goc::go([&] {
      int mine = i;
      visit(mine);
      wg.done();
    });
  }
  wg.wait();
}
