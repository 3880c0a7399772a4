// WRONG: every goroutine adds its chunk straight into one shared total without a lock: a data race.
// CAUGHT BY: race
#include "sum.hpp"

#include <cstddef>
#include <numeric>

#include <goc/goc.hpp>

long parallel_sum(const std::vector<int>& numbers, int parts) {
  long total = 0;
  const std::size_t chunk = numbers.size() / static_cast<std::size_t>(parts);
  goc::WaitGroup wg;
  wg.add(parts);
  for (int p = 0; p < parts; ++p) {
    std::size_t begin = static_cast<std::size_t>(p) * chunk;
    std::size_t end = (p == parts - 1) ? numbers.size() : begin + chunk;
    goc::go([&numbers, &total, &wg, begin, end] {
      total += std::accumulate(numbers.begin() + static_cast<long>(begin),
                               numbers.begin() + static_cast<long>(end), 0L);
      wg.done();
    });
  }
  wg.wait();
  return total;
}
