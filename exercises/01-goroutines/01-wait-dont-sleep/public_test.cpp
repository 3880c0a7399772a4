// Public tests for 01-goroutines/01-wait-dont-sleep.
//
// The jobs keep their state in shared_ptrs, so a run_and_wait that returns
// too early fails its test without the still-running job writing into a
// finished test's stack.
#include "goc/testing/catch.hpp"

#include <atomic>
#include <chrono>
#include <memory>

#include <goc/goc.hpp>

#include "exercise_support.hpp"
#include "wait.hpp"

using namespace std::chrono_literals;

TEST_CASE("a job that takes 100 ms (an hour under a schedule) has finished when run_and_wait returns") {
  // Under a seeded schedule (GOC_SCHEDULE) time is virtual and an hour's
  // sleep costs nothing, so the job can outlast any sleep the caller guesses.
  auto duration = goc_ex::time_is_virtual() ? std::chrono::milliseconds(1h) : 100ms;
  auto finished = std::make_shared<std::atomic<bool>>(false);
  run_and_wait([finished, duration] {
    goc::sleep_for(duration);  // the job's own work; the caller must not guess its length
    *finished = true;
  });
  REQUIRE(finished->load());
}

TEST_CASE("the job runs on a goroutine other than the caller's") {
  std::uint64_t caller = goc::goroutine_id();
  auto runner = std::make_shared<std::atomic<std::uint64_t>>(caller);
  run_and_wait([runner] { *runner = goc::goroutine_id(); });
  REQUIRE(runner->load() != caller);
}

TEST_CASE("the job runs exactly once") {
  auto runs = std::make_shared<std::atomic<int>>(0);
  run_and_wait([runs] { ++*runs; });
  REQUIRE(runs->load() == 1);
}
