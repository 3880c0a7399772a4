// Hidden tests for 05-worker-pool/02-pool: values, errors, early stop, done
// closed exactly once, the goroutine bound, cleanup, promptness and
// repeatability. The checks themselves are in ../pool_checks.hpp, shared with
// the early-return pool of exercise 03.
//
// The pool is called directly on the test's goroutine wherever it should not
// block, so a deadlocked pool shows the runtime's goroutine dump.
#include "goc/testing/catch.hpp"

#include "../pool_checks.hpp"
#include "pool.hpp"

using namespace std::chrono_literals;

namespace {
PoolOutcome pool(const std::vector<int>& inputs, int worker_count, goc::Channel<goc::Empty> done) {
  return run_worker_pool(inputs, worker_count, done);
}
constexpr int helpers = pool_helper_goroutines;  // producer and closer
}  // namespace

TEST_CASE("without a negative input every input gets exactly one result, its square") {
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

TEST_CASE(
    "live goroutines never exceed worker_count plus producer and closer, for 1 to 8 workers") {
  pool_checks::goroutines_stay_within_the_bound(pool, helpers);
}

TEST_CASE("the pool runs exactly worker_count jobs at once") {
  pool_checks::runs_exactly_worker_count_jobs_at_once(pool);
}

TEST_CASE(
    "after an error at the first job the pool returns promptly although the other jobs are slow") {
  pool_checks::returns_promptly_after_an_error_when_jobs_are_slow(pool, helpers);
}

TEST_CASE("every worker has returned when run_worker_pool returns") {
  // The collector drains results until the closer closes it, and the closer
  // closes it only after the last worker: no job can be in progress any more.
  std::vector<int> inputs = pool_test::first_n(200);
  inputs[20] = -1;
  job_probe::HookGuard slow([](int) { goc::sleep_for(200us); });
  for (int workers : {1, 4, 8}) {
    job_probe::reset();
    goc::LeakCheck leak_check;
    PoolOutcome out = run_worker_pool(inputs, workers);
    long in_progress = job_probe::jobs_in_flight();
    REQUIRE(in_progress == 0);
    REQUIRE(out.first_error == "negative input");
    REQUIRE(leak_check.leaks().empty());
  }
}

TEST_CASE("repeated runs give the same answers") {
  pool_checks::gives_the_same_answers_every_time(pool, helpers);
}
