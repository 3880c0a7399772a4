// Exercise 01-goroutines/03-loop-capture: each goroutine must see its own index.
//
// Task: visit_each_index(n, visit) (see visit.hpp) starts a goroutine per
// index. As written, the goroutines do not reliably get their own index:
// some visit the same index twice, some visit n, and the race detector
// reports a data race on the loop variable.
//
// The Go idea: a goroutine runs later than the line that starts it. If its
// function refers to the loop variable itself rather than a copy, it reads
// whatever value the loop has reached by then. Before Go 1.22 every Go
// programmer met this bug (`go func() { use(i) }()` in a loop), and the fix
// was to pass i as an argument or copy it; C++ lambdas make the same choice
// in their capture list.
#include "visit.hpp"

#include <goc/goc.hpp>

void visit_each_index(int n, const std::function<void(int)>& visit) {
  goc::WaitGroup wg;
  for (int i = 0; i < n; ++i) {
    wg.add(1);
    // TODO: this goroutine reads `i` when it runs, not when it is started.
    // Give it its own copy of the index.
    goc::go([&] {
      visit(i);
      wg.done();
    });
  }
  wg.wait();
}
