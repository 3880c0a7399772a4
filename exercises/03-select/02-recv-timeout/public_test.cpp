// Public tests for 03-select/02-recv-timeout.
#include "goc/testing/catch.hpp"

#include <chrono>
#include <optional>

#include <goc/goc.hpp>

#include "exercise_support.hpp"
#include "timeout.hpp"

using namespace std::chrono_literals;

TEST_CASE("a value that is already there is returned at once") {
  auto ch = goc::make_chan<int>(1);
  ch.send(42);
  std::optional<int> got;
  auto elapsed = goc_ex::time_of([&] { got = recv_within(ch, 2s); });
  REQUIRE(got == 42);
  REQUIRE(elapsed < goc_ex::generous(100ms));
}

TEST_CASE("with no value, recv_within gives up after the limit") {
  auto ch = goc::make_chan<int>();
  std::optional<int> got = 0;
  auto elapsed = goc_ex::time_of([&] { got = recv_within(ch, 100ms); });
  REQUIRE_FALSE(got.has_value());
  REQUIRE(elapsed >= 100ms);
  REQUIRE(elapsed < 100ms + goc_ex::generous(200ms));
}

TEST_CASE("a closed channel gives up at once") {
  auto ch = goc::make_chan<int>();
  ch.close();
  std::optional<int> got = 0;
  auto elapsed = goc_ex::time_of([&] { got = recv_within(ch, 2s); });
  REQUIRE_FALSE(got.has_value());
  REQUIRE(elapsed < goc_ex::generous(100ms));
}
