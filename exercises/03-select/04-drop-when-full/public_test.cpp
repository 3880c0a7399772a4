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

TEST_CASE("two senders racing for the last free slot never block: one sends, one drops") {
  // Between looking at the buffer and sending, the other sender may take the
  // slot: only a select with a default case decides both in one step. A
  // seeded schedule (GOC_SCHEDULE) tries such interleavings on purpose.
  for (int round = 0; round < 50; ++round) {
    auto ch = goc::make_chan<int>(1);
    auto dropped = goc::make_chan<int>(2);
    for (int sender = 0; sender < 2; ++sender)
      goc::go([ch, dropped, sender] { dropped.send(send_or_drop(ch, {sender})); });
    int total_dropped = dropped.recv() + dropped.recv();  // a blocked sender never reports
    INFO("round " << round);
    REQUIRE(total_dropped == 1);
    REQUIRE(ch.len() == 1);
  }
}
