// Exercise 04-sync/01-parallel-sum: a parallel sum with a WaitGroup.
//
// Task: complete parallel_sum() (see sum.hpp). The goroutines are started,
// but nothing waits for them: the partial sums are added up before they are
// written.
//
// The Go idea: sync.WaitGroup counts goroutines still to finish. Call Add
// before starting them (never inside them), Done as each one ends, and Wait
// before reading what they produced. Wait also makes their writes visible
// to you. Each goroutine writes only its own slot, so the slots need no lock.
#include "sum.hpp"

#include <cstddef>
#include <numeric>

#include <goc/goc.hpp>

long parallel_sum(const std::vector<int>& numbers, int parts) {
  std::vector<long> partial(static_cast<std::size_t>(parts), 0);
  const std::size_t chunk = numbers.size() / static_cast<std::size_t>(parts);
  // TODO: declare a WaitGroup and count the goroutines before starting them.
  for (int p = 0; p < parts; ++p) {
    std::size_t begin = static_cast<std::size_t>(p) * chunk;
    // TODO: the last part must also take the numbers left over by the division.
    std::size_t end = begin + chunk;
    goc::go([&numbers, &partial, p, begin, end] {
      partial[static_cast<std::size_t>(p)] =
          std::accumulate(numbers.begin() + static_cast<long>(begin),
                          numbers.begin() + static_cast<long>(end), 0L);
      // TODO: tell the WaitGroup this goroutine is done.
    });
  }
  // TODO: wait for every goroutine before adding up the partial sums.
  return std::accumulate(partial.begin(), partial.end(), 0L);
}
