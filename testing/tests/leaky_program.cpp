// A test program for the leak listener of testing/catch_main.cpp: its first
// test case passes but leaves a goroutine blocked for good; the second leaks
// too but is tagged [leaks-ok]. leak_listener_check.sh runs it.
#include <goc/goc.hpp>

#include "goc/testing/catch.hpp"

TEST_CASE("a passing test that leaves a goroutine blocked on a channel") {
  auto never = goc::make_chan<int>();
  goc::go([never] { never.recv(); });
  CHECK(goc::num_goroutine() >= 1);
}

TEST_CASE("an exempt test that leaks on purpose", "[leaks-ok]") {
  auto never = goc::make_chan<int>();
  goc::go([never] { never.recv(); });
  CHECK(true);
}
