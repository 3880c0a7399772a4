// Hidden tests for 03-select/02-recv-timeout: values arriving during the
// wait, values arriving after it, CPU while waiting, zero values, repetition.
#include "goc/testing/catch.hpp"

#include <chrono>
#include <optional>

#include <goc/goc.hpp>

#include "exercise_support.hpp"
#include "timeout.hpp"

using namespace std::chrono_literals;

TEST_CASE("a value sent during the wait is returned as soon as it arrives") {
  auto ch = goc::make_chan<int>();
  goc::go([ch] {
    goc::sleep_for(30ms);
    ch.send(5);
  });
  std::optional<int> got;
  auto elapsed = goc_ex::time_of([&] { got = recv_within(ch, 1500ms); });
  REQUIRE(got == 5);
  REQUIRE(elapsed < 30ms + goc_ex::generous(300ms));
}

TEST_CASE("a sent 0 is a value, not a timeout") {
  auto ch = goc::make_chan<int>(1);
  ch.send(0);
  REQUIRE(recv_within(ch, 1s) == 0);
}

TEST_CASE("after a timeout, a value sent later is left for the next receiver") {
  auto ch = goc::make_chan<int>();
  REQUIRE_FALSE(recv_within(ch, 20ms).has_value());
  // Nobody may still be receiving: a send that needs a receiver right now
  // must find none.
  bool taken = false;
  goc::select(goc::send_case(ch, 9, [&] { taken = true; }), goc::default_case([] {}));
  REQUIRE_FALSE(taken);
  // And a buffered value goes to the next call, not to a leftover receiver.
  auto buffered = goc::make_chan<int>(1);
  REQUIRE_FALSE(recv_within(buffered, 20ms).has_value());
  buffered.send(11);
  REQUIRE(recv_within(buffered, 1s) == 11);
}

TEST_CASE("only one value is taken per call") {
  auto ch = goc::make_chan<int>(3);
  ch.send(1);
  ch.send(2);
  ch.send(3);
  REQUIRE(recv_within(ch, 1s) == 1);
  REQUIRE(ch.len() == 2);
  REQUIRE(recv_within(ch, 1s) == 2);
  REQUIRE(recv_within(ch, 1s) == 3);
}

TEST_CASE("waiting for a timeout uses no CPU") {
  auto ch = goc::make_chan<int>();
  auto cpu_before = goc_ex::process_cpu_time();
  REQUIRE_FALSE(recv_within(ch, 300ms).has_value());
  auto cpu_used = goc_ex::process_cpu_time() - cpu_before;
  INFO("CPU used while waiting: " << cpu_used.count() << " ms");
  REQUIRE(cpu_used < 50ms);
}

TEST_CASE("a short limit is honoured 20 times in a row") {
  auto ch = goc::make_chan<int>();
  auto start = goc::now();
  for (int i = 0; i < 20; ++i) REQUIRE_FALSE(recv_within(ch, 5ms).has_value());
  REQUIRE(goc::now() - start >= 100ms);
  REQUIRE(goc::now() - start < goc_ex::generous(1000ms));
}
