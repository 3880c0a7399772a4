// Hidden tests for 01-goroutines/01-wait-dont-sleep: jobs both shorter and
// longer than any fixed sleep, promptness, many repetitions.
//
// Jobs keep their state in shared_ptrs, so a run_and_wait that returns too
// early fails without the still-running job writing into a dead stack frame.
#include "goc/testing/catch.hpp"

#include <atomic>
#include <chrono>
#include <memory>
#include <vector>

#include <goc/goc.hpp>

#include "exercise_support.hpp"
#include "wait.hpp"

using namespace std::chrono_literals;

TEST_CASE("run_and_wait returns after the job whatever the job's duration") {
  // From instant to longer than any sensible guess.
  for (auto duration : {0ms, 1ms, 30ms, 250ms, 700ms}) {
    auto finished = std::make_shared<std::atomic<bool>>(false);
    run_and_wait([finished, duration] {
      goc::sleep_for(duration);
      *finished = true;
    });
    INFO("job duration " << duration.count() << " ms");
    REQUIRE(finished->load());
  }
}

TEST_CASE("run_and_wait returns promptly once a quick job has finished") {
  // A sleep long enough for the 700 ms job above is far too long here.
  auto elapsed = goc_ex::time_of([] { run_and_wait([] {}); });
  INFO("run_and_wait took " << elapsed.count() << " ms for an instant job");
  REQUIRE(elapsed < goc_ex::generous(300ms));
}

TEST_CASE("run_and_wait takes no longer than the job plus a little") {
  auto elapsed = goc_ex::time_of([] { run_and_wait([] { goc::sleep_for(150ms); }); });
  INFO("run_and_wait took " << elapsed.count() << " ms for a 150 ms job");
  REQUIRE(elapsed >= 150ms);
  REQUIRE(elapsed < 150ms + goc_ex::generous(300ms));
}

TEST_CASE("the job's plain writes are visible after return, every time") {
  // Non-atomic data: only a real wait orders the job's writes before the
  // caller's reads, and the race detector checks exactly that.
  auto start = goc::now();
  for (int round = 0; round < 200; ++round) {
    // 200 waits for instant jobs take well under 3 s, even under TSan;
    // a sleeper would take minutes.
    REQUIRE(goc::now() - start < 3000ms);
    auto produced = std::make_shared<std::vector<int>>();
    run_and_wait([produced, round] {
      for (int i = 0; i <= round % 7; ++i) produced->push_back(i);
    });
    REQUIRE(produced->size() == static_cast<std::size_t>(round % 7 + 1));
  }
}

TEST_CASE("each call runs its job exactly once on a fresh goroutine") {
  std::uint64_t caller = goc::goroutine_id();
  auto start = goc::now();
  for (int round = 0; round < 20; ++round) {
    REQUIRE(goc::now() - start < 3000ms);
    auto runs = std::make_shared<std::atomic<int>>(0);
    auto runner = std::make_shared<std::atomic<std::uint64_t>>(caller);
    run_and_wait([runs, runner] {
      ++*runs;
      *runner = goc::goroutine_id();
    });
    REQUIRE(runs->load() == 1);
    REQUIRE(runner->load() != caller);
  }
}
