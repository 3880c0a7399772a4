// Public tests for 05-worker-pool/02-pool.
//
// run_worker_pool is called directly: a pool that deadlocks shows the
// runtime's deadlock report with every goroutine and where it is blocked.
#include "goc/testing/catch.hpp"

#include <chrono>
#include <vector>

#include <goc/goc.hpp>

#include "../pool_test_support.hpp"
#include "exercise_support.hpp"
#include "pool.hpp"

using namespace std::chrono_literals;

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

TEST_CASE("many negative inputs close done once, without a panic") {
  std::vector<int> inputs(100);
  for (int i = 0; i < 100; ++i) inputs[i] = i % 2 == 0 ? -1 - i : i;  // every other one fails
  // Slow jobs: when the first error arrives, the other workers are still in
  // a job, and then offer the collector more error results.
  job_probe::HookGuard slow([](int) { goc::sleep_for(1ms); });
  for (int workers : {2, 8, 8, 8}) {
    auto done = goc::make_chan<goc::Empty>();
    PoolOutcome out;
    REQUIRE_NOTHROW(out = run_worker_pool(inputs, workers, done));  // a second close panics
    REQUIRE(out.first_error == "negative input");
    REQUIRE(pool_test::is_closed(done));
  }
}

TEST_CASE("the pool runs at most worker_count workers plus its helpers") {
  std::size_t before = goc::num_goroutine();
  goc::reset_peak_goroutines();
  PoolOutcome out = run_worker_pool(pool_test::first_n(300), 4);
  std::size_t peak = goc::peak_goroutines() - before;
  INFO("peak goroutines of the call: " << peak << ", allowed 4 workers + "
                                       << pool_helper_goroutines << " helpers");
  REQUIRE(peak <= static_cast<std::size_t>(4 + pool_helper_goroutines));
  REQUIRE(out.results.size() == 300);
}

TEST_CASE("after an early error the pool stops: most jobs are never processed") {
  std::vector<int> inputs = pool_test::first_n(2000);
  inputs[5] = -1;
  job_probe::reset();
  job_probe::HookGuard pace([](int) { goc::sleep_for(1ms); });  // each job takes a while
  PoolOutcome out = run_worker_pool(inputs, 4);
  REQUIRE(out.first_error == "negative input");
  INFO(job_probe::jobs_started() << " of 2000 jobs processed after an error at job 5");
  REQUIRE(job_probe::jobs_started() < 500);
}
