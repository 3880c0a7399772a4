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

TEST_CASE("a worker stuck offering a result nobody takes returns when done is closed") {
  auto jobs = goc::make_chan<int>(1);
  auto results = goc::make_chan<Result>();  // unbuffered, and nobody receives
  auto done = goc::make_chan<goc::Empty>();
  auto exited = goc::make_chan<goc::Empty>();
  jobs.send(3);
  goc::go([=] {
    worker(jobs, results, done);
    exited.close();
  });
  // Once the worker is blocked, it can only be offering the job's result.
  REQUIRE(goc_ex::wait_until_blocked(1, goc_ex::generous(2000ms), __FILE__));
  done.close();
  REQUIRE(pool_test::signalled_within(exited, goc_ex::generous(1000ms)));
}

TEST_CASE("a worker leaves results open for the other workers that share it") {
  auto jobs = goc::make_chan<int>(2);
  auto results = goc::make_chan<Result>(4);
  auto done = goc::make_chan<goc::Empty>();
  jobs.send(2);
  jobs.close();

  worker(jobs, results, done);  // this worker is out of jobs...

  // ...but another worker may still send a result: results must be open.
  goc::select(goc::send_case(results, Result{5, 25, ""}), goc::default_case());
  REQUIRE(results.len() == 2);
}
