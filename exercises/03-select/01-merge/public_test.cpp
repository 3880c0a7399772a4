// Public tests for 03-select/01-merge.
#include "goc/testing/catch.hpp"

#include <algorithm>
#include <chrono>
#include <vector>

#include <goc/goc.hpp>

#include "exercise_support.hpp"
#include "merge.hpp"
#include "merge_test_util.hpp"

using namespace merge_test;
using namespace std::chrono_literals;

TEST_CASE("every value of both inputs comes out once, and then the output closes") {
  auto got = collect(merge(source({1, 2, 3}), source({10, 20})), 100);
  std::sort(got.begin(), got.end());
  REQUIRE(got == std::vector<int>{1, 2, 3, 10, 20});
}

TEST_CASE("each input's values keep their order") {
  auto got = collect(merge(source(range(0, 200)), source(range(1000, 1300))), 1000);
  REQUIRE(from_range(got, 0, 200) == range(0, 200));
  REQUIRE(from_range(got, 1000, 1300) == range(1000, 1300));
  REQUIRE(got.size() == 500);
}

TEST_CASE("with one input closed and the other idle, merge waits without using CPU") {
  auto a = goc::make_chan<int>();
  auto b = goc::make_chan<int>();
  auto out = merge(a, b);
  a.close();  // a is done; b stays open and silent for a while
  auto cpu_before = goc_ex::process_cpu_time();
  goc::sleep_for(300ms);
  auto cpu_used = goc_ex::process_cpu_time() - cpu_before;
  b.send(7);
  REQUIRE(out.recv() == 7);
  b.close();
  auto [v, ok] = out.recv_ok();
  REQUIRE_FALSE(ok);
  INFO("CPU used while idle: " << cpu_used.count() << " ms");
  REQUIRE(cpu_used < 50ms);
}
