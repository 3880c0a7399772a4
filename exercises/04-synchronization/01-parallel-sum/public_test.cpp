// Public tests for 04-sync/01-parallel-sum.
#include "goc/testing/catch.hpp"

#include <numeric>
#include <vector>

#include <goc/goc.hpp>

#include "sum.hpp"

TEST_CASE("the sum of 1..100000 in 4 parts is exact") {
  std::vector<int> numbers(100000);
  std::iota(numbers.begin(), numbers.end(), 1);
  REQUIRE(parallel_sum(numbers, 4) == 5000050000L);
}

TEST_CASE("the parts are summed on goroutines") {
  std::vector<int> numbers(1000, 2);
  goc::reset_peak_goroutines();
  std::size_t before = goc::num_goroutine();
  REQUIRE(parallel_sum(numbers, 3) == 2000);
  REQUIRE(goc::peak_goroutines() > before);
}
