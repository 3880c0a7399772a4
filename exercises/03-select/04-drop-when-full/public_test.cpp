// Public tests for 03-select/04-drop-when-full.
#include "goc/testing/catch.hpp"

#include <vector>

#include <goc/goc.hpp>

#include "drop.hpp"

TEST_CASE("values beyond the free buffer space are dropped, without blocking") {
  auto ch = goc::make_chan<int>(3);
  REQUIRE(send_or_drop(ch, {1, 2, 3, 4, 5, 6}) == 3);
  REQUIRE(ch.len() == 3);
  // The first three were kept, in order.
  REQUIRE(ch.recv() == 1);
  REQUIRE(ch.recv() == 2);
  REQUIRE(ch.recv() == 3);
}

TEST_CASE("an unbuffered channel with no receiver drops everything") {
  auto ch = goc::make_chan<int>();
  REQUIRE(send_or_drop(ch, {7, 8}) == 2);
}
