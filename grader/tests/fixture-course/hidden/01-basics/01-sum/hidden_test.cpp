#include "goc/testing/catch.hpp"
#include "sum.hpp"

TEST_CASE("an empty list sums to zero with any number of workers") {
  REQUIRE(parallel_sum({}, 3) == 0);
}

// A name with a comma, quotes and a backslash: the grader must still select
// exactly this test case when it runs the hidden list (Catch2 --input-file).
TEST_CASE("more workers than values, \"5 for 2\", still sum every value \\ all of them") {
  REQUIRE(parallel_sum({7, 8}, 5) == 15);
}
