// Public tests for 05-worker-pool/03-early-return.
#include "goc/testing/catch.hpp"

#include <chrono>
#include <vector>

#include <goc/goc.hpp>

#include "../pool_test_support.hpp"
#include "early_pool.hpp"
#include "exercise_support.hpp"

using namespace std::chrono_literals;

TEST_CASE("without a negative input every input gets exactly one result, its square") {
  auto inputs = pool_test::first_n(100);

  PoolOutcome out = run_worker_pool_early(inputs, 4);

  REQUIRE(out.first_error.empty());
  REQUIRE(pool_test::sorted_inputs(out.results) == inputs);
  for (const Result& r : out.results) REQUIRE(r.value == static_cast<long long>(r.input) * r.input);
}

TEST_CASE("a negative input makes the first error negative input and closes done") {
  auto done = goc::make_chan<goc::Empty>();

  PoolOutcome out = run_worker_pool_early({1, 2, -3, 4, 5}, 2, done);

  REQUIRE(out.first_error == "negative input");
  REQUIRE(pool_test::is_closed(done));
}

TEST_CASE("the pool returns at the first error while other jobs are still in progress") {
  // Every job but the failing one waits for a gate the test opens only after
  // the pool has returned; the leak check then wants every goroutine gone.
  pool_test::Gate gate;
  job_probe::HookGuard hold([held = gate.channel()](int n) {
    if (n >= 0) held.recv();
  });
  PoolOutcome out;
  goc_ex::finish_within(goc_ex::generous(1000ms), "run_worker_pool_early with jobs in progress",
                        [&] {
                          out = run_worker_pool_early({-1, 1, 2, 3, 4, 5, 6}, 3);
                        });
  gate.open();

  REQUIRE(out.first_error == "negative input");
  REQUIRE(out.results.empty());
}

TEST_CASE("the pool runs at most worker_count workers plus its helpers") {
  std::size_t before = goc::num_goroutine();
  goc::reset_peak_goroutines();
  PoolOutcome out = run_worker_pool_early(pool_test::first_n(300), 4);
  std::size_t peak = goc::peak_goroutines() - before;
  INFO("peak goroutines of the call: " << peak << ", allowed 4 workers + "
                                       << pool_helper_goroutines << " helpers");
  REQUIRE(peak <= static_cast<std::size_t>(4 + pool_helper_goroutines));
  REQUIRE(out.results.size() == 300);
}
