#include "goc/testing/catch.hpp"
#include "sum.hpp"

TEST_CASE("sums a short list with two workers") {
  REQUIRE(parallel_sum({1, 2, 3, 4, 5}, 2) == 15);
}

TEST_CASE("sums a thousand values with four workers") {
  std::vector<int> values(1000, 3);
  REQUIRE(parallel_sum(values, 4) == 3000);
}
