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

TEST_CASE("many failing jobs stop the pool once, without a panic") {
  JobFunction odd_fails = [](int n) {
    goc::sleep_for(1ms);  // when the first error arrives, the other jobs are still running
    if (n % 2 == 1) return JobOutput{0, "odd input"};
    return JobOutput{n, ""};
  };
  for (int workers : {2, 8, 8, 8}) {
    OrderedOutcome out;
    REQUIRE_NOTHROW(out = run_ordered_pool(pool_test::first_n(100), workers, odd_fails,
                                           never_cancelled));  // a second close panics
    REQUIRE(out.error == "odd input");
    REQUIRE(out.values.empty());
  }
}

TEST_CASE("the pool runs at most worker_count workers plus its helpers") {
  JobFunction identity = [](int n) { return JobOutput{n, ""}; };
  std::size_t before = goc::num_goroutine();
  goc::reset_peak_goroutines();
  OrderedOutcome out = run_ordered_pool(pool_test::first_n(300), 4, identity, never_cancelled);
  std::size_t peak = goc::peak_goroutines() - before;
  INFO("peak goroutines of the call: " << peak << ", allowed 4 workers + "
                                       << pool_helper_goroutines << " helpers");
  REQUIRE(peak <= static_cast<std::size_t>(4 + pool_helper_goroutines));
  REQUIRE(out.values.size() == 300);
}
