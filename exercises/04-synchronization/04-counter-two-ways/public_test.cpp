// Public tests for 04-sync/04-counter-two-ways: both counters, same tests.
#include "goc/testing/catch.hpp"

#include <goc/goc.hpp>

#include "counters.hpp"

namespace {

// `goroutines` goroutines each add 1 `adds` times; returns the final value.
template <class Counter>
long hammer(Counter& counter, int goroutines, int adds) {
  goc::WaitGroup wg;
  wg.add(goroutines);
  for (int g = 0; g < goroutines; ++g) {
    goc::go([&counter, &wg, adds] {
      for (int i = 0; i < adds; ++i) counter.add(1);
      wg.done();
    });
  }
  wg.wait();
  return counter.value();
}

}  // namespace

TEST_CASE("a MutexCounter adds up sequential adds, negative ones included") {
  MutexCounter c;
  c.add(5);
  c.add(-2);
  REQUIRE(c.value() == 3);
}

TEST_CASE("an OwnerCounter adds up sequential adds, negative ones included") {
  OwnerCounter c;
  REQUIRE(c.value() == 0);
  c.add(5);
  c.add(-2);
  REQUIRE(c.value() == 3);
}

TEST_CASE("a MutexCounter counts 8 goroutines x 5000 adds exactly") {
  MutexCounter c;
  REQUIRE(hammer(c, 8, 5000) == 40000);
}

TEST_CASE("an OwnerCounter counts 8 goroutines x 500 adds exactly") {
  OwnerCounter c;
  REQUIRE(hammer(c, 8, 500) == 4000);
}
