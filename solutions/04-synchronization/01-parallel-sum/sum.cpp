// Reference solution for 04-sync/01-parallel-sum.
#include "sum.hpp"

#include <cstddef>
#include <numeric>

#include <goc/goc.hpp>

long parallel_sum(const std::vector<int>& numbers, int parts) {
  // One slot per goroutine: each writes only its own, so no two goroutines
  // touch the same memory and no lock is needed.
  std::vector<long> partial(static_cast<std::size_t>(parts), 0);
  const std::size_t chunk = numbers.size() / static_cast<std::size_t>(parts);
  goc::WaitGroup wg;
  // Counted before any goroutine starts: wait() below cannot see zero early.
  wg.add(parts);
  for (int p = 0; p < parts; ++p) {
    std::size_t begin = static_cast<std::size_t>(p) * chunk;
    // The last part also takes the remainder of the division.
    std::size_t end = (p == parts - 1) ? numbers.size() : begin + chunk;
    // numbers, partial and wg outlive the goroutines: we wait below.
    goc::go([&numbers, &partial, &wg, p, begin, end] {
      partial[static_cast<std::size_t>(p)] =
          std::accumulate(numbers.begin() + static_cast<long>(begin),
                          numbers.begin() + static_cast<long>(end), 0L);
      wg.done();
    });
  }
  // After wait(), every done() has happened, and so has every write that
  // came before it: reading partial is safe.
  wg.wait();
  return std::accumulate(partial.begin(), partial.end(), 0L);
}
