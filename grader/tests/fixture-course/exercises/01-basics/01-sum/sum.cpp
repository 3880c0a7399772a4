#include "sum.hpp"

#include <goc/goc.hpp>

long parallel_sum(const std::vector<int>& values, int workers) {
  // TODO: start `workers` goroutines, each summing one chunk, and add up their results.
  (void)values;
  (void)workers;
  return -1;
}
