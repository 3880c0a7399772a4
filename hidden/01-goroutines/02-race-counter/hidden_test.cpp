// Hidden tests for 01-goroutines/02-race-counter: edge cases and repetition.
#include "goc/testing/catch.hpp"

#include <goc/goc.hpp>

#include "counter.hpp"

TEST_CASE("no goroutines or no increments count zero") {
  REQUIRE(count_concurrently(0, 1000) == 0);
  REQUIRE(count_concurrently(5, 0) == 0);
}

TEST_CASE("a single goroutine counts all of its increments") {
  REQUIRE(count_concurrently(1, 3000) == 3000);
}

TEST_CASE("many goroutines with few increments each count exactly") {
  REQUIRE(count_concurrently(40, 50) == 2000);
}

TEST_CASE("the count is exact on every one of 10 runs") {
  for (int run = 0; run < 10; ++run) {
    INFO("run " << run);
    REQUIRE(count_concurrently(4, 1000) == 4000);
  }
}
