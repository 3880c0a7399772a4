// Reference solution for 01-goroutines/03-loop-capture.
#include "visit.hpp"

#include <goc/goc.hpp>

void visit_each_index(int n, const std::function<void(int)>& visit) {
  goc::WaitGroup wg;
  for (int i = 0; i < n; ++i) {
    wg.add(1);
    // `i` is captured by value: the lambda gets a copy made now, in this
    // iteration, so later increments of the loop variable cannot reach it.
    // visit and wg are shared on purpose and outlive every goroutine,
    // because we wait below before returning.
    goc::go([&visit, &wg, i] {
      visit(i);
      wg.done();
    });
  }
  wg.wait();
}
