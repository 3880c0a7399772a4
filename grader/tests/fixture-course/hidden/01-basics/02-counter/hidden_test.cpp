#include "goc/testing/catch.hpp"
#include "counter.hpp"

namespace {
// Same name as the public tests' helper (see there).
int count_with(int goroutines, int each) {
  Counter c;
  count_concurrently(c, goroutines, each);
  return c.value();
}
}  // namespace

TEST_CASE("zero goroutines leave the counter at zero") { REQUIRE(count_with(0, 100) == 0); }

TEST_CASE("fifty goroutines count to five thousand") { REQUIRE(count_with(50, 100) == 5000); }
