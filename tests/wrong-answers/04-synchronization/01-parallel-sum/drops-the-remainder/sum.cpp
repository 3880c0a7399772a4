// WRONG: waits correctly, but every part has size/parts numbers, so the remainder of the division is never summed.
#include "sum.hpp"

#include <cstddef>
#include <numeric>

#include <goc/goc.hpp>

long parallel_sum(const std::vector<int>& numbers, int parts) {
  std::vector<long> partial(static_cast<std::size_t>(parts), 0);
  const std::size_t chunk = numbers.size() / static_cast<std::size_t>(parts);
  goc::WaitGroup wg;
  wg.add(parts);
  for (int p = 0; p < parts; ++p) {
    std::size_t begin = static_cast<std::size_t>(p) * chunk;
    std::size_t end = begin + chunk;
    goc::go([&numbers, &partial, &wg, p, begin, end] {
      partial[static_cast<std::size_t>(p)] =
          std::accumulate(numbers.begin() + static_cast<long>(begin),
                          numbers.begin() + static_cast<long>(end), 0L);
      wg.done();
    });
  }
  wg.wait();
  return std::accumulate(partial.begin(), partial.end(), 0L);
}
