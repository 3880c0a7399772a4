// Hidden tests for 03-select/01-merge: inputs closed at once, uneven and
// buffered inputs, idling with both inputs open, repetition, prompt close.
#include "goc/testing/catch.hpp"

#include <algorithm>
#include <chrono>
#include <random>
#include <vector>

#include <goc/goc.hpp>

#include "exercise_support.hpp"
#include "merge.hpp"
#include "merge_test_util.hpp"

using namespace merge_test;
using namespace std::chrono_literals;

TEST_CASE("two inputs closed from the start give a closed, empty output") {
  auto got = collect(merge(source({}), source({})), 10);
  REQUIRE(got.empty());
}

TEST_CASE("an input closed at once does not stop the other") {
  auto got = collect(merge(source({}), source(range(0, 50))), 100);
  REQUIRE(got == range(0, 50));
  got = collect(merge(source(range(0, 50)), source({})), 100);
  REQUIRE(got == range(0, 50));
}

TEST_CASE("zeros are values: they are forwarded, not taken for a close") {
  auto got = collect(merge(source({0, 0}), source({0})), 10);
  REQUIRE(got == std::vector<int>{0, 0, 0});
}

TEST_CASE("while both inputs are open and idle, merge uses no CPU") {
  auto a = goc::make_chan<int>();
  auto b = goc::make_chan<int>();
  auto out = merge(a, b);
  auto cpu_before = goc_ex::process_cpu_time();
  goc::sleep_for(300ms);
  auto cpu_used = goc_ex::process_cpu_time() - cpu_before;
  a.close();
  b.close();
  REQUIRE(collect(out, 10).empty());
  INFO("CPU used while idle: " << cpu_used.count() << " ms");
  REQUIRE(cpu_used < 50ms);
}

TEST_CASE("the output closes promptly after the last input closes") {
  auto a = goc::make_chan<int>();
  auto b = goc::make_chan<int>();
  auto out = merge(a, b);
  a.close();
  b.send(1);
  REQUIRE(out.recv() == 1);
  b.close();
  auto waited = goc_ex::time_of([&] {
    auto [v, ok] = out.recv_ok();
    REQUIRE_FALSE(ok);
  });
  REQUIRE(waited < goc_ex::generous(200ms));
}

TEST_CASE("random buffered inputs: every value once, each input in order") {
  std::mt19937 rng(31337);
  for (int round = 0; round < 30; ++round) {
    int na = std::uniform_int_distribution<int>(0, 300)(rng);
    int nb = std::uniform_int_distribution<int>(0, 300)(rng);
    std::size_t cap_a = std::uniform_int_distribution<std::size_t>(0, 5)(rng);
    std::size_t cap_b = std::uniform_int_distribution<std::size_t>(0, 5)(rng);
    auto got = collect(merge(source(range(0, na), cap_a), source(range(10000, 10000 + nb), cap_b)),
                       static_cast<std::size_t>(na + nb));
    INFO("round " << round << ": " << na << " and " << nb << " values");
    REQUIRE(got.size() == static_cast<std::size_t>(na + nb));
    REQUIRE(from_range(got, 0, na) == range(0, na));
    REQUIRE(from_range(got, 10000, 10000 + nb) == range(10000, 10000 + nb));
  }
}
