// A test that bets on an interleaving: it passes when the first goroutine
// started also sends first, which an unscheduled run on an idle machine
// usually does. Under seeded schedules some seeds lose the bet, and each of
// them loses it again on every replay (checked by schedule_replay_check.sh).
#include "goc/goc.hpp"
#include "goc/testing/catch.hpp"

TEST_CASE("the first goroutine started sends first") {
  auto ch = goc::make_chan<int>(2);
  goc::go([=] { ch.send(1); });
  goc::go([=] { ch.send(2); });
  REQUIRE(ch.recv() == 1);
  ch.recv();
}
