// Public tests for 05-worker-pool/04-ordered-generic.
#include "goc/testing/catch.hpp"

#include <chrono>
#include <vector>

#include <goc/goc.hpp>

#include "../pool_test_support.hpp"
#include "exercise_support.hpp"
#include "ordered_pool.hpp"

using namespace std::chrono_literals;

namespace {
const goc::RecvChan<goc::Empty> never_cancelled{};  // a nil channel is never ready
}

TEST_CASE("values come back in input order although early jobs finish last") {
  std::vector<int> inputs = pool_test::first_n(12);
  JobFunction slow_start = [](int n) {
    if (n < 3) goc::sleep_for(30ms);  // the first jobs finish after the others
    return JobOutput{10L * n + 1, ""};
  };

  OrderedOutcome out = run_ordered_pool(inputs, 4, slow_start, never_cancelled);

  REQUIRE(out.error.empty());
  REQUIRE(out.values.size() == inputs.size());
  for (int n : inputs) REQUIRE(out.values[n] == 10L * n + 1);
}

TEST_CASE("a job's error stops the pool and is returned without values") {
  JobFunction fail_on_five = [](int n) {
    if (n == 5) return JobOutput{0, "five is not allowed"};
    return JobOutput{n, ""};
  };

  OrderedOutcome out = run_ordered_pool(pool_test::first_n(20), 3, fail_on_five, never_cancelled);

  REQUIRE(out.error == "five is not allowed");
  REQUIRE(out.values.empty());
}

TEST_CASE("a cancel closed before the call makes the pool return canceled") {
  auto cancel = goc::make_chan<goc::Empty>();
  cancel.close();
  JobFunction identity = [](int n) { return JobOutput{n, ""}; };

  OrderedOutcome out = run_ordered_pool(pool_test::first_n(1000), 4, identity, cancel);

  REQUIRE(out.error == "canceled");
  REQUIRE(out.values.empty());
}
