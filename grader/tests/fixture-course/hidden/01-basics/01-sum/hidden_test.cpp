#include "goc/testing/catch.hpp"
#include "sum.hpp"

TEST_CASE("an empty list sums to zero with any number of workers") {
  REQUIRE(parallel_sum({}, 3) == 0);
}

TEST_CASE("more workers than values still sums every value") {
  REQUIRE(parallel_sum({7, 8}, 5) == 15);
}
