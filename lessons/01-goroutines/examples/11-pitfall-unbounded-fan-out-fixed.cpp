// Lesson 1, example 11: the fan-out of example 10, bounded.
//
// Instead of one goroutine per item, start a fixed number of workers and let
// them take items from a channel. The number of goroutines alive is then the
// number of workers plus main, however long the list is: the peak count
// printed below stays at 5 for 1000 items, far below the guard's limit.
// This is the worker-pool idea that lesson 5 builds out completely.
#include <cstdio>
#include <vector>

#include "goc/goc.hpp"

int main() {
  goc::set_max_goroutines(100);  // the same limit that stopped example 10
  goc::reset_peak_goroutines();

  //! [bounded]
  // Go:
  //     items := make(chan int)
  //     for w := 0; w < 4; w++ {
  //         wg.Add(1)
  //         go func() {
  //             defer wg.Done()
  //             for item := range items {
  //                 sums[w] += item * item
  //             }
  //         }()
  //     }
  //     for item := 1; item <= 1000; item++ {
  //         items <- item
  //     }
  //     close(items)
  //     wg.Wait()
  const int workers = 4;
  auto items = goc::make_chan<int>();
  std::vector<long> sums(workers);  // one slot per worker: no sharing
  goc::WaitGroup wg;
  for (int w = 0; w < workers; ++w) {
    wg.add(1);
    goc::go([w, items, &sums, &wg] {
      for (int item : items) sums[w] += long(item) * item;
      wg.done();
    });
  }
  for (int item = 1; item <= 1000; ++item) items.send(item);
  items.close();  // the workers' loops end once the channel is drained
  wg.wait();
  //! [bounded]

  long total = 0;
  for (long s : sums) total += s;
  std::printf("sum of squares of 1..1000 = %ld\n", total);
  std::printf("peak goroutines: %zu (main and %d workers)\n", goc::peak_goroutines(), workers);
}
