// Hidden tests for 05-worker-pool/03-early-return: everything the pool of
// exercise 02 must do (../pool_checks.hpp), plus returning at the first error
// without waiting for jobs in progress, and leaving no goroutine blocked
// behind although the given workers' sends cannot be cancelled.
#include "goc/testing/catch.hpp"

#include <chrono>
#include <memory>
#include <vector>

#include <goc/goc.hpp>

#include "../pool_checks.hpp"
#include "early_pool.hpp"

using namespace std::chrono_literals;

namespace {
PoolOutcome pool(const std::vector<int>& inputs, int worker_count, goc::Channel<goc::Empty> done) {
  return run_worker_pool_early(inputs, worker_count, done);
}
constexpr int helpers = pool_helper_goroutines;  // producer, closer, drainer
}  // namespace

TEST_CASE("without a negative input every input gets exactly one result, its square, for 1 to 300 inputs and 1 to 8 workers") {
  pool_checks::every_input_gets_its_square(pool, helpers);
}

TEST_CASE("an empty input returns at once with no results and no error") {
  pool_checks::empty_input_returns_at_once(pool, helpers);
}

TEST_CASE("a negative input anywhere makes the first error negative input") {
  pool_checks::first_error_is_negative_input(pool, helpers);
}

TEST_CASE("after an early negative input the pool stops: far fewer than all jobs are processed") {
  pool_checks::stops_early_after_an_early_error(pool, helpers);
}

TEST_CASE("done is closed exactly once, however many inputs are negative") {
  pool_checks::done_is_closed_exactly_once(pool, helpers);
}

TEST_CASE("live goroutines never exceed worker_count plus three helpers, for 1 to 8 workers") {
  pool_checks::goroutines_stay_within_the_bound(pool, helpers);
}

TEST_CASE("the pool runs exactly worker_count jobs at once") {
  pool_checks::runs_exactly_worker_count_jobs_at_once(pool);
}

TEST_CASE(
    "after an error at the first job the pool returns promptly although the other jobs are slow") {
  pool_checks::returns_promptly_after_an_error_when_jobs_are_slow(pool, helpers);
}

TEST_CASE("the pool runs exactly worker_count of the given uncancellable workers") {
  for (int workers = 1; workers <= 8; ++workers) {
    for (int n : {3, 100}) {
      auto inputs = pool_test::first_n(n);
      if (n == 100) inputs[60] = -1;
      pool_checks::Call c = pool_checks::checked_call(pool, inputs, workers);
      pool_checks::require_clean(c, inputs, workers, helpers);
      INFO(n << " inputs: " << job_probe::workers_started() << " uncancellable_workers started");
      REQUIRE(job_probe::workers_started() == workers);
    }
  }
}

TEST_CASE("the pool returns at the first error without waiting for the jobs in progress") {
  // Every job but the failing first one is held until the test opens the
  // gate, which it does only once the pool has returned. Waiting for the
  // workers (or draining results before returning) cannot finish in time.
  std::vector<int> inputs{-1};
  for (int i = 1; i <= 40; ++i) inputs.push_back(i);
  for (int workers = 1; workers <= 8; ++workers) {
    job_probe::reset();
    goc::LeakCheck leak_check;
    auto gate = goc::make_chan<goc::Empty>();
    job_probe::HookGuard hold([gate](int n) {
      if (n >= 0) gate.recv();
    });
    auto done = goc::make_chan<goc::Empty>();
    PoolOutcome out;
    goc_ex::finish_within(goc_ex::generous(1000ms), "run_worker_pool_early with jobs held",
                          [&] { out = run_worker_pool_early(inputs, workers, done); });
    long held = job_probe::jobs_in_flight();
    gate.close();  // the held jobs end now, after the collector has gone

    INFO(workers << " workers, " << held << " jobs held when the pool returned");
    REQUIRE(out.first_error == "negative input");
    REQUIRE(out.results.empty());
    REQUIRE(pool_test::is_closed(done));
    // Every held worker now sends a result nobody collects: it must find a
    // taker or room, or it stays blocked and the leak check names it.
    auto left = leak_check.leaks();
    INFO(goc::LeakCheck::describe(left));
    REQUIRE(left.empty());
    REQUIRE(job_probe::jobs_started() < static_cast<long>(inputs.size()));
  }
}

TEST_CASE("the results received before the first error are returned") {
  // One worker processes the jobs in order, so every square reaches the
  // collector before the error of the last job does.
  std::vector<int> inputs = pool_test::first_n(30);
  inputs.push_back(-1);
  pool_test::repeat(10, pool_checks::repeat_budget, [&](int) {
    pool_checks::Call c = pool_checks::checked_call(pool, inputs, 1);
    pool_checks::require_clean(c, inputs, 1, helpers);
    REQUIRE(c.outcome.first_error == "negative input");
    REQUIRE(pool_test::sorted_inputs(c.outcome.results) == pool_test::first_n(30));
  });
}

TEST_CASE("repeated runs give the same answers") {
  pool_checks::gives_the_same_answers_every_time(pool, helpers);
}
