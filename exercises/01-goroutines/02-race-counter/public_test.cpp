// Public tests for 01-goroutines/02-race-counter.
#include "goc/testing/catch.hpp"

#include <goc/goc.hpp>

#include "counter.hpp"

TEST_CASE("8 goroutines adding 2000 each count exactly 16000") {
  REQUIRE(count_concurrently(8, 2000) == 16000);
}

TEST_CASE("the increments happen on goroutines, not on the caller") {
  goc::reset_peak_goroutines();
  REQUIRE(count_concurrently(4, 100) == 400);
  REQUIRE(goc::peak_goroutines() >= 2);
}
