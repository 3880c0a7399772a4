// Public tests for 05-worker-pool/02-pool.
//
// run_worker_pool is called directly: a pool that deadlocks shows the
// runtime's deadlock report with every goroutine and where it is blocked.
#include "goc/testing/catch.hpp"

#include <vector>

#include <goc/goc.hpp>

#include "../pool_test_support.hpp"
#include "exercise_support.hpp"
#include "pool.hpp"

TEST_CASE("every input gets exactly one result, the square of its input, and no error") {
  auto inputs = pool_test::first_n(100);

  PoolOutcome out = run_worker_pool(inputs, 4);

  REQUIRE(out.first_error.empty());
  REQUIRE(pool_test::sorted_inputs(out.results) == inputs);
  for (const Result& r : out.results) {
    REQUIRE(r.value == static_cast<long long>(r.input) * r.input);
    REQUIRE(r.error.empty());
  }
}

TEST_CASE("a negative input makes the first error negative input") {
  std::vector<int> inputs{1, 2, -3, 4, 5};

  PoolOutcome out = run_worker_pool(inputs, 2);

  REQUIRE(out.first_error == "negative input");
  for (const Result& r : out.results) {
    REQUIRE(r.input >= 0);
    REQUIRE(r.value == static_cast<long long>(r.input) * r.input);
  }
}

TEST_CASE("the first error closes done") {
  auto done = goc::make_chan<goc::Empty>();

  run_worker_pool({1, -2, 3}, 2, done);

  REQUIRE(pool_test::is_closed(done));
}

TEST_CASE("an empty input gives no results and no error") {
  PoolOutcome out = run_worker_pool({}, 3);

  REQUIRE(out.results.empty());
  REQUIRE(out.first_error.empty());
}
