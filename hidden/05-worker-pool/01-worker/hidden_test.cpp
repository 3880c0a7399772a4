// Hidden tests for 05-worker-pool/01-worker: values, cancellation at every
// wait, sharing the jobs among workers, leaving results open, no goroutines
// of its own, repeatability.
//
// Workers that are expected to block run on goroutines the test starts, with
// an "exited" signal the test waits on for a generous time; everything they
// touch is a channel or a shared_ptr, so a worker that never exits fails its
// test without writing into a finished test's stack.
#include "goc/testing/catch.hpp"

#include <atomic>
#include <chrono>
#include <memory>
#include <vector>

#include <goc/goc.hpp>

#include "../pool_test_support.hpp"
#include "exercise_support.hpp"
#include "worker.hpp"

using namespace std::chrono_literals;
using pool_test::first_n;
using pool_test::signalled_within;
using pool_test::sorted_inputs;

namespace {

// Repeated scenarios run 50 times, fewer if a loaded machine (or TSan)
// makes them slow: pool_test::repeat stops starting rounds after the budget.
constexpr int rounds = 50;
constexpr auto round_budget = pool_test::repeat_budget;

/// Starts worker(jobs, results, done) on a goroutine; the returned channel
/// is closed when the worker has returned.
goc::Channel<goc::Empty> start_worker(goc::Channel<int> jobs, goc::Channel<Result> results,
                                      goc::Channel<goc::Empty> done) {
  auto exited = goc::make_chan<goc::Empty>();
  goc::go([=] {
    worker(jobs, results, done);
    exited.close();
  });
  return exited;
}

/// Everything still buffered in `results` (the caller knows nobody sends any more).
std::vector<Result> take_buffered(const goc::Channel<Result>& results) {
  std::vector<Result> out;
  while (results.len() > 0) out.push_back(results.recv());
  return out;
}

}  // namespace

TEST_CASE("a worker answers every job with the square of its input, in job order") {
  const int n = 1000;
  auto jobs = goc::make_chan<int>(n);
  auto results = goc::make_chan<Result>(n);
  auto done = goc::make_chan<goc::Empty>();
  for (int i = 0; i < n; ++i) jobs.send(i);
  jobs.close();

  worker(jobs, results, done);

  auto got = take_buffered(results);
  REQUIRE(got.size() == static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    INFO("job " << i);
    REQUIRE(got[i].input == i);
    REQUIRE(got[i].value == static_cast<long long>(i) * i);
    REQUIRE(got[i].error.empty());
  }
}

TEST_CASE("every negative job gives exactly one error result negative input") {
  std::vector<int> inputs{-1, 2, -3, -4, 5, 0, -100};
  auto jobs = goc::make_chan<int>(inputs.size());
  auto results = goc::make_chan<Result>(inputs.size());
  auto done = goc::make_chan<goc::Empty>();
  for (int v : inputs) jobs.send(v);
  jobs.close();

  worker(jobs, results, done);

  auto got = take_buffered(results);
  REQUIRE(got.size() == inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    INFO("job " << inputs[i]);
    REQUIRE(got[i].input == inputs[i]);
    if (inputs[i] < 0) {
      REQUIRE(got[i].error == "negative input");
    } else {
      REQUIRE(got[i].error.empty());
      REQUIRE(got[i].value == static_cast<long long>(inputs[i]) * inputs[i]);
    }
  }
}

TEST_CASE("a worker starts no goroutine of its own and calls process_job once per job") {
  const int n = 300;
  auto jobs = goc::make_chan<int>(n);
  auto results = goc::make_chan<Result>(n);
  auto done = goc::make_chan<goc::Empty>();
  for (int i = 0; i < n; ++i) jobs.send(i);
  jobs.close();
  job_probe::reset();
  std::size_t before = goc::num_goroutine();
  goc::reset_peak_goroutines();

  worker(jobs, results, done);

  std::size_t peak = goc::peak_goroutines();
  INFO("live goroutines before: " << before << ", peak during the call: " << peak);
  REQUIRE(peak == before);
  REQUIRE(job_probe::jobs_started() == n);
  REQUIRE(results.len() == static_cast<std::size_t>(n));
}

TEST_CASE("a worker waiting for a job returns promptly when done is closed") {
  auto jobs = goc::make_chan<int>();  // open and empty for ever
  auto results = goc::make_chan<Result>();
  auto done = goc::make_chan<goc::Empty>();
  auto exited = start_worker(jobs, results, done);
  goc::sleep_for(20ms);  // let it settle into waiting for a job

  done.close();

  REQUIRE(signalled_within(exited, goc_ex::generous(500ms)));
  REQUIRE(results.len() == 0);
}

TEST_CASE(
    "a worker blocked sending a result nobody receives returns promptly when done is closed") {
  auto jobs = goc::make_chan<int>();
  auto results = goc::make_chan<Result>();  // unbuffered, and the test never receives
  auto done = goc::make_chan<goc::Empty>();
  auto exited = start_worker(jobs, results, done);
  jobs.send(6);          // the worker has taken the job once this returns
  goc::sleep_for(20ms);  // ...and is now stuck offering its result

  done.close();

  REQUIRE(signalled_within(exited, goc_ex::generous(500ms)));
}

TEST_CASE("once done is closed a worker takes hardly any of the jobs still queued") {
  // Both cases of a select may be ready; a random pick may let a job or two
  // through, but a worker that honours done cannot get through 20.
  const int queued = 500;
  pool_test::repeat(rounds, round_budget, [&](int round) {
    auto jobs = goc::make_chan<int>(queued);
    auto results = goc::make_chan<Result>(queued);
    auto done = goc::make_chan<goc::Empty>();
    for (int i = 0; i < queued; ++i) jobs.send(i);
    done.close();

    worker(jobs, results, done);

    INFO("round " << round << ": " << results.len() << " of " << queued
                  << " queued jobs processed");
    REQUIRE(results.len() < 20);
  });
}

TEST_CASE(
    "workers sharing one jobs channel process every job exactly once and leave results open") {
  const int workers = 8;
  const int n = 200;
  pool_test::repeat(rounds, round_budget, [&](int) {
    auto jobs = goc::make_chan<int>();
    auto results = goc::make_chan<Result>(n);  // room for all: nobody receives until the end
    auto done = goc::make_chan<goc::Empty>();
    std::vector<goc::Channel<goc::Empty>> exited;
    for (int w = 0; w < workers; ++w) exited.push_back(start_worker(jobs, results, done));
    for (int i = 0; i < n; ++i) jobs.send(i);
    jobs.close();
    for (auto& e : exited) REQUIRE(signalled_within(e, goc_ex::generous(2000ms)));

    auto got = take_buffered(results);
    REQUIRE(sorted_inputs(got) == first_n(n));
    for (const auto& r : got) REQUIRE(r.value == static_cast<long long>(r.input) * r.input);
    // Closing results is for whoever knows every sender is finished, never a worker.
    bool results_closed = goc::select(goc::recv_case(results), goc::default_case()) == 0;
    REQUIRE_FALSE(results_closed);
  });
}

TEST_CASE("closing done stops every worker even when the collector has stopped reading") {
  // A small pool: a feeder, four workers, and the test as collector. The
  // collector takes a few results, closes done and stops receiving; every
  // worker must then get out of whatever it was waiting for.
  const int workers = 4;
  pool_test::repeat(rounds, round_budget, [&](int) {
    goc::LeakCheck leak_check;
    auto jobs = goc::make_chan<int>();
    auto results = goc::make_chan<Result>();
    auto done = goc::make_chan<goc::Empty>();
    goc::go([=] {  // the feeder gives up when done closes
      for (int i = 0;; ++i) {
        if (goc::select(goc::send_case(jobs, i), goc::recv_case(done)) == 1) return;
      }
    });
    std::vector<goc::Channel<goc::Empty>> exited;
    for (int w = 0; w < workers; ++w) exited.push_back(start_worker(jobs, results, done));
    for (int i = 0; i < 10; ++i) {
      Result r = results.recv();
      REQUIRE(r.value == static_cast<long long>(r.input) * r.input);
    }

    done.close();  // ...and never receive again

    for (auto& e : exited) REQUIRE(signalled_within(e, goc_ex::generous(500ms)));
    auto left = leak_check.leaks();
    INFO(goc::LeakCheck::describe(left));
    REQUIRE(left.empty());
  });
}

TEST_CASE("a four-worker round gives the same answers every time") {
  const int workers = 4;
  const int n = 100;
  pool_test::repeat(pool_test::same_answer_rounds, round_budget, [&](int round) {
    auto jobs = goc::make_chan<int>();
    auto results = goc::make_chan<Result>();
    auto done = goc::make_chan<goc::Empty>();
    auto all_exited = goc::make_chan<goc::Empty>();
    goc::go([=] {  // closes results once every worker is gone
      std::vector<goc::Channel<goc::Empty>> exited;
      for (int w = 0; w < workers; ++w) exited.push_back(start_worker(jobs, results, done));
      for (auto& e : exited) e.recv();
      results.close();
      all_exited.close();
    });
    goc::go([=] {
      for (int i = 0; i < n; ++i) jobs.send(i % 2 == 0 ? i : -i);
      jobs.close();
    });
    int errors = 0;
    std::vector<Result> ok;
    for (Result r : results) {
      if (r.error.empty())
        ok.push_back(r);
      else
        ++errors;
    }
    all_exited.recv();
    INFO("round " << round);
    REQUIRE(errors == n / 2);
    REQUIRE(ok.size() == static_cast<std::size_t>(n / 2));
    for (const auto& r : ok) REQUIRE(r.value == static_cast<long long>(r.input) * r.input);
  });
}
