// Exercise 01-goroutines/04-at-most-k: process N items with at most K goroutines.
//
// Task: process_all(items, k, process) (see bounded.hpp) must call process
// on every item using no more than k goroutines at once. As written it
// starts one goroutine per item: correct results, unbounded goroutines.
//
// The Go idea: `for _, x := range items { go f(x) }` is unbounded fan-out. It
// is fine for ten items and a disaster for ten million (memory, scheduler,
// and whatever f talks to). Bound it with a fixed number of long-lived
// workers that share the items between them.
#include "bounded.hpp"

#include <goc/goc.hpp>

void process_all(const std::vector<int>& items, int k, const std::function<void(int)>& process) {
  // TODO: start at most k goroutines, each working through its share of the
  // items, instead of one goroutine per item (k is unused so far).
  (void)k;
  goc::WaitGroup wg;
  for (int item : items) {
    wg.add(1);
    goc::go([&process, &wg, item] {
      process(item);
      wg.done();
    });
  }
  wg.wait();
}
