#include "goc/testing/catch.hpp"
#include "counter.hpp"

TEST_CASE("zero goroutines leave the counter at zero") {
  Counter c;
  count_concurrently(c, 0, 100);
  REQUIRE(c.value() == 0);
}

TEST_CASE("fifty goroutines count to five thousand") {
  Counter c;
  count_concurrently(c, 50, 100);
  REQUIRE(c.value() == 5000);
}
