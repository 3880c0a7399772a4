// pool_checks.hpp: the checks the hidden tests of 05-worker-pool/02-pool and
// 05-worker-pool/03-early-return share. Both pools have the same contract
// signature, differ in when they return, and must satisfy all of these:
//
//   PoolOutcome pool(const std::vector<int>& inputs, int worker_count,
//                    goc::Channel<goc::Empty> done);
//
// Every check REQUIREs on the test's own goroutine. State a pool's goroutines
// may still touch after a wrong answer returns too early lives in channels
// and shared_ptrs, never on the test's stack.
#pragma once

#include "goc/testing/catch.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <goc/goc.hpp>

#include "../pool_common.hpp"  // both found through the exercise's include path
#include "../pool_test_support.hpp"
#include "exercise_support.hpp"

namespace pool_checks {

using namespace std::chrono_literals;
using PoolFunction = PoolOutcome (*)(const std::vector<int>&, int, goc::Channel<goc::Empty>);

// The largest input the tests run to the end. ThreadSanitizer runs the pool
// 5-15x slower, so its runs are smaller.
#ifdef GOC_TSAN_BUILD
inline constexpr int big_input = 3000;
#else
inline constexpr int big_input = 10000;
#endif
using pool_test::repeat_budget;

/// What one checked call observed.
struct Call {
  PoolOutcome outcome;
  std::size_t peak_goroutines = 0;       // of the call, above the caller's count
  bool done_closed = false;              // when the call returned
  std::vector<goc::GoroutineInfo> left;  // goroutines of the call still alive (after patience)
  long jobs = 0;                         // process_job calls
};

/// Calls `pool` with a fresh done channel, measuring peak goroutines, whether
/// done was closed, the goroutines left (goc::LeakCheck, default patience)
/// and the jobs processed.
inline Call checked_call(PoolFunction pool, const std::vector<int>& inputs, int worker_count) {
  job_probe::reset();
  goc::LeakCheck leak_check;
  auto done = goc::make_chan<goc::Empty>();
  std::size_t before = goc::num_goroutine();
  goc::reset_peak_goroutines();
  Call c;
  c.outcome = pool(inputs, worker_count, done);
  c.peak_goroutines = goc::peak_goroutines() - before;
  c.done_closed = pool_test::is_closed(done);
  c.left = leak_check.leaks();
  c.jobs = job_probe::jobs_started();  // read once every goroutine of the call is gone
  return c;
}

/// REQUIREs what every call must satisfy: done closed if there was an error,
/// nothing left alive, the goroutine bound, and every kept result a correct
/// square of a non-negative input given at most once.
inline void require_clean(const Call& c, const std::vector<int>& inputs, int worker_count,
                          int helpers) {
  INFO(inputs.size() << " inputs, " << worker_count << " workers");
  if (!c.outcome.first_error.empty()) REQUIRE(c.done_closed);
  INFO(goc::LeakCheck::describe(c.left));
  REQUIRE(c.left.empty());
  INFO("peak goroutines of the call: " << c.peak_goroutines << ", allowed " << worker_count
                                       << " workers + " << helpers << " helpers");
  REQUIRE(c.peak_goroutines <= static_cast<std::size_t>(worker_count + helpers));
  std::multiset<int> given(inputs.begin(), inputs.end());
  std::multiset<int> seen;
  for (const Result& r : c.outcome.results) {
    INFO("result for input " << r.input);
    REQUIRE(r.error.empty());
    REQUIRE(r.input >= 0);
    REQUIRE(r.value == static_cast<long long>(r.input) * r.input);
    seen.insert(r.input);
    REQUIRE(seen.count(r.input) <= given.count(r.input));
  }
}

inline void every_input_gets_its_square(PoolFunction pool, int helpers) {
  for (int n : {1, 7, 64, 300}) {
    for (int workers : {1, 2, 3, 5, 8}) {
      auto inputs = pool_test::first_n(n);
      Call c = checked_call(pool, inputs, workers);
      require_clean(c, inputs, workers, helpers);
      REQUIRE(c.outcome.first_error.empty());
      REQUIRE(pool_test::sorted_inputs(c.outcome.results) == inputs);
      REQUIRE(c.jobs == n);  // process_job exactly once per job
    }
  }
}

inline void empty_input_returns_at_once(PoolFunction pool, int helpers) {
  for (int workers = 1; workers <= 8; ++workers) {
    Call c;
    auto took = goc_ex::time_of([&] { c = checked_call(pool, {}, workers); });
    require_clean(c, {}, workers, helpers);
    REQUIRE(c.outcome.results.empty());
    REQUIRE(c.outcome.first_error.empty());
    REQUIRE(c.jobs == 0);
    INFO("an empty run took " << took.count() << " ms");
    REQUIRE(took < goc_ex::generous(300ms));
  }
}

inline void first_error_is_negative_input(PoolFunction pool, int helpers) {
  std::vector<std::vector<int>> cases{
      {-1},
      {-5, 1, 2, 3, 4, 5, 6, 7, 8, 9},
      {1, 2, 3, 4, 5, -6, 7, 8, 9, 10},
      {1, 2, 3, 4, 5, 6, 7, 8, 9, -10},
      {-1, -2, -3, -4, -5, -6, -7, -8},
      {3, -1, 4, -1, 5, -9, 2, 6, -5, 3},
  };
  for (const auto& inputs : cases) {
    for (int workers : {1, 2, 4, 8}) {
      Call c = checked_call(pool, inputs, workers);
      require_clean(c, inputs, workers, helpers);
      REQUIRE(c.outcome.first_error == "negative input");
    }
  }
}

inline void stops_early_after_an_early_error(PoolFunction pool, int helpers) {
  // Each job takes at least 1 ms, so a pool that keeps going after the error
  // needs far longer than a pool that stops, which runs nowhere near a quarter.
  std::vector<int> inputs = pool_test::first_n(10000);
  inputs[10] = -1;
  job_probe::HookGuard pace([](int) { goc::sleep_for(1ms); });
  for (int workers = 8; workers >= 1; --workers) {  // a pool that does not stop fails fastest at 8
    Call c = checked_call(pool, inputs, workers);
    require_clean(c, inputs, workers, helpers);
    REQUIRE(c.outcome.first_error == "negative input");
    INFO(c.jobs << " of " << inputs.size() << " jobs processed after an error at job 10");
    REQUIRE(c.jobs < 2500);
  }
}

inline void done_is_closed_exactly_once(PoolFunction pool, int helpers) {
  // Many negative inputs: a collector that closes done at every error (or
  // again at the end) closes it twice, which panics with "close of closed channel".
  std::vector<int> all_negative(200);
  for (int i = 0; i < 200; ++i) all_negative[i] = -1 - i;
  std::vector<int> mixed = pool_test::first_n(200);
  for (int i = 0; i < 200; i += 3) mixed[i] = -i - 1;
  pool_test::repeat(20, repeat_budget, [&](int) {
    for (const auto* inputs : {&all_negative, &mixed}) {
      for (int workers : {2, 8}) {
        Call c;
        REQUIRE_NOTHROW(c = checked_call(pool, *inputs, workers));
        require_clean(c, *inputs, workers, helpers);
        REQUIRE(c.outcome.first_error == "negative input");
      }
    }
  });
  // Without an error done may stay open, but a close at the end must not
  // come on top of another one.
  Call c;
  REQUIRE_NOTHROW(c = checked_call(pool, pool_test::first_n(50), 4));
  require_clean(c, pool_test::first_n(50), 4, helpers);
}

inline void goroutines_stay_within_the_bound(PoolFunction pool, int helpers) {
  for (int workers = 1; workers <= 8; ++workers) {
    for (int n : {0, workers - 1, 3 * workers + 1, 100}) {
      auto inputs = pool_test::first_n(n);
      Call c = checked_call(pool, inputs, workers);
      require_clean(c, inputs, workers, helpers);
      REQUIRE(pool_test::sorted_inputs(c.outcome.results) == inputs);
    }
  }
  {  // the largest input: still no more goroutines (and no goroutine per job)
    const int workers = 8;
    auto inputs = pool_test::first_n(big_input);
    Call c = checked_call(pool, inputs, workers);
    require_clean(c, inputs, workers, helpers);
    REQUIRE(c.outcome.results.size() == inputs.size());
  }
}

inline void runs_exactly_worker_count_jobs_at_once(PoolFunction pool) {
  // Every job is held until the test opens the gate: a pool with k workers
  // then has exactly k jobs in progress, never more, never fewer.
  for (int workers : {1, 3, 8}) {
    job_probe::reset();
    goc::LeakCheck leak_check;
    auto gate = goc::make_chan<goc::Empty>();
    job_probe::HookGuard hold([gate](int) { gate.recv(); });
    auto inputs = pool_test::first_n(4 * workers);
    auto outcome = std::make_shared<PoolOutcome>();
    auto returned = goc::make_chan<goc::Empty>();
    goc::go([=] {
      *outcome = pool(inputs, workers, goc::make_chan<goc::Empty>());
      returned.close();
    });
    auto deadline = goc::now() + goc_ex::generous(1000ms);
    while (job_probe::jobs_in_flight() < workers && goc::now() < deadline) {
      goc::sleep_for(1ms);
    }
    goc::sleep_for(50ms);  // room for a pool that starts too many to show it
    long held = job_probe::jobs_in_flight();
    gate.close();  // before any REQUIRE: never leave the pool stuck
    bool returned_in_time = pool_test::signalled_within(returned, goc_ex::generous(3000ms));
    INFO(workers << " workers: " << held << " jobs held at once, at most "
                 << job_probe::max_jobs_in_flight());
    REQUIRE(held == workers);
    REQUIRE(job_probe::max_jobs_in_flight() == workers);
    REQUIRE(returned_in_time);
    REQUIRE(pool_test::sorted_inputs(outcome->results) == inputs);
    auto left = leak_check.leaks();
    INFO(goc::LeakCheck::describe(left));
    REQUIRE(left.empty());
  }
}

inline void returns_promptly_after_an_error_when_jobs_are_slow(PoolFunction pool, int helpers) {
  // The first job fails at once, every other job takes 20 ms. Running them
  // all would take seconds; a pool that stops needs about one job's time.
  std::vector<int> inputs{-1};
  for (int i = 1; i <= 4000; ++i) inputs.push_back(i);
  job_probe::HookGuard slow([](int n) {
    if (n >= 0) goc::sleep_for(20ms);
  });
  for (int workers : {2, 4}) {
    Call c;
    goc_ex::finish_within(goc_ex::generous(1500ms), "the pool, after an error at the first job",
                          [&] { c = checked_call(pool, inputs, workers); });
    require_clean(c, inputs, workers, helpers);
    REQUIRE(c.outcome.first_error == "negative input");
  }
}

inline void gives_the_same_answers_every_time(PoolFunction pool, int helpers) {
  auto clean = pool_test::first_n(60);
  auto failing = clean;
  failing[30] = -30;
  pool_test::repeat(pool_test::same_answer_rounds, repeat_budget, [&](int round) {
    INFO("round " << round);
    Call ok = checked_call(pool, clean, 4);
    require_clean(ok, clean, 4, helpers);
    REQUIRE(ok.outcome.first_error.empty());
    REQUIRE(pool_test::sorted_inputs(ok.outcome.results) == clean);
    Call bad = checked_call(pool, failing, 4);
    require_clean(bad, failing, 4, helpers);
    REQUIRE(bad.outcome.first_error == "negative input");
  });
}

}  // namespace pool_checks
