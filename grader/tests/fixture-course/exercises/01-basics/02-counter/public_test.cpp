#include "goc/testing/catch.hpp"
#include "counter.hpp"

TEST_CASE("one goroutine counts to ten") {
  Counter c;
  count_concurrently(c, 1, 10);
  REQUIRE(c.value() == 10);
}

TEST_CASE("eight goroutines count to eight hundred") {
  Counter c;
  count_concurrently(c, 8, 100);
  REQUIRE(c.value() == 800);
}
