// Public tests for 05-worker-pool/01-worker.
//
// The worker is called on the test's own goroutine where nothing can block,
// so a worker that hangs shows the runtime's deadlock report and goroutine dump.
#include "goc/testing/catch.hpp"

#include <chrono>
#include <vector>

#include <goc/goc.hpp>

#include "../pool_test_support.hpp"
#include "exercise_support.hpp"
#include "worker.hpp"

using namespace std::chrono_literals;

TEST_CASE("the worker sends the square of each job and returns once jobs is closed") {
  auto jobs = goc::make_chan<int>(5);
  auto results = goc::make_chan<Result>(5);
  auto done = goc::make_chan<goc::Empty>();
  for (int n : {0, 1, 2, 3, 12}) jobs.send(n);
  jobs.close();

  worker(jobs, results, done);

  REQUIRE(results.len() == 5);
  for (int n : {0, 1, 2, 3, 12}) {  // one worker: results in job order
    Result r = results.recv();
    REQUIRE(r.input == n);
    REQUIRE(r.value == n * n);
    REQUIRE(r.error.empty());
  }
}

TEST_CASE("a negative job gives the error result negative input and the worker goes on") {
  auto jobs = goc::make_chan<int>(3);
  auto results = goc::make_chan<Result>(3);
  auto done = goc::make_chan<goc::Empty>();
  for (int n : {4, -7, 5}) jobs.send(n);
  jobs.close();

  worker(jobs, results, done);

  REQUIRE(results.len() == 3);
  REQUIRE(results.recv().value == 16);
  Result failed = results.recv();
  REQUIRE(failed.input == -7);
  REQUIRE(failed.error == "negative input");
  REQUIRE(results.recv().value == 25);
}

TEST_CASE("a worker waiting for a job returns when done is closed") {
  auto jobs = goc::make_chan<int>();  // never closed, never sent on
  auto results = goc::make_chan<Result>();
  auto done = goc::make_chan<goc::Empty>();
  done.close();

  worker(jobs, results, done);  // must not wait for a job that never comes

  REQUIRE(results.len() == 0);
}
