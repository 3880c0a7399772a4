// Hidden tests for 03-select/04-drop-when-full: a waiting receiver, a buffer
// freed in between, concurrent senders, empty input.
#include "goc/testing/catch.hpp"

#include <vector>

#include <goc/goc.hpp>

#include "drop.hpp"

namespace {

// Waits until some goroutine is blocked receiving on a channel: the state
// that lets a non-blocking send to an unbuffered channel succeed.
void wait_for_parked_receiver() {
  for (;;) {
    for (const auto& g : goc::goroutines())
      if (g.state == "chan receive") return;
    goc::sleep_for(std::chrono::milliseconds(1));
  }
}

}  // namespace

TEST_CASE("nothing to send drops nothing") {
  auto ch = goc::make_chan<int>();
  REQUIRE(send_or_drop(ch, {}) == 0);
}

TEST_CASE("a receiver already waiting on an unbuffered channel gets the value") {
  auto ch = goc::make_chan<int>();
  auto got = goc::make_chan<int>(1);
  goc::go([ch, got] { got.send(ch.recv()); });
  wait_for_parked_receiver();
  REQUIRE(send_or_drop(ch, {42, 43}) == 1);  // 42 taken, nobody left for 43
  REQUIRE(got.recv() == 42);
}

TEST_CASE("room made by a receive is used again") {
  auto ch = goc::make_chan<int>(2);
  REQUIRE(send_or_drop(ch, {1, 2, 3}) == 1);
  REQUIRE(ch.recv() == 1);
  REQUIRE(send_or_drop(ch, {4, 5}) == 1);
  REQUIRE(ch.recv() == 2);
  REQUIRE(ch.recv() == 4);
}

TEST_CASE("concurrent senders: every value is either received or counted as dropped") {
  auto ch = goc::make_chan<int>(8);
  auto dropped = goc::make_chan<int>(4);
  for (int s = 0; s < 4; ++s) {
    goc::go([ch, dropped] {
      std::vector<int> values(500, 1);
      dropped.send(send_or_drop(ch, values));
    });
  }
  int received = 0;
  int reports = 0, total_dropped = 0;
  while (reports < 4) {
    goc::select(goc::recv_case(ch, [&](int) { ++received; }),
                goc::recv_case(dropped, [&](int d) {
                  total_dropped += d;
                  ++reports;
                }));
  }
  received += static_cast<int>(ch.len());
  REQUIRE(received + total_dropped == 2000);
}
