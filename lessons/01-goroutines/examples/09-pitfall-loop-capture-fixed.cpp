// Lesson 1, example 09: the loop-capture bug of example 08, fixed.
//
// Capture the loop variable by value: `[i]` (or `[=]`) copies `i` into the
// lambda at the moment go() is called, so each goroutine keeps the value of
// its own iteration. Passing it as an argument, `goc::go(f, i)`, copies it
// the same way. Capture by reference only what is shared on purpose and
// outlives the goroutine, here the WaitGroup.
#include <algorithm>
#include <cstdio>
#include <vector>

#include "goc/goc.hpp"

int main() {
  auto seen = goc::make_chan<int>(3);
  goc::WaitGroup wg;

  //! [capture-by-value]
  // Go (since 1.22 each iteration has its own i; before, one wrote i := i):
  //     for i := 0; i < 3; i++ {
  //         wg.Add(1)
  //         go func() {
  //             defer wg.Done()
  //             seen <- i
  //         }()
  //     }
  for (int i = 0; i < 3; ++i) {
    wg.add(1);
    goc::go([i, seen, &wg] {  // i copied now, at go()
      seen.send(i);
      wg.done();
    });
  }
  //! [capture-by-value]
  wg.wait();
  seen.close();

  // The goroutines finish in any order; sort to print the same every run.
  std::vector<int> values;
  for (int v : seen) values.push_back(v);
  std::sort(values.begin(), values.end());
  for (int v : values) std::printf("a goroutine saw i = %d\n", v);
}
