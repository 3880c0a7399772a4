// Public tests for 03-select/03-cancel-workers.
//
// Everything the workers may touch lives in shared_ptrs, so a stop() that
// returns too early fails its test without corrupting the next one.
#include "goc/testing/catch.hpp"

#include <atomic>
#include <chrono>
#include <memory>

#include <goc/goc.hpp>

#include "exercise_support.hpp"
#include "workers.hpp"

using namespace std::chrono_literals;

TEST_CASE("workers handle the jobs sent to them") {
  auto jobs = goc::make_chan<int>();
  auto handled = goc::make_chan<int>(100);
  auto stop = start_workers(3, jobs, [handled](int job) { handled.send(job * 10); });
  long sum = 0;
  for (int j = 1; j <= 100; ++j) jobs.send(j);
  for (int j = 1; j <= 100; ++j) sum += handled.recv();
  REQUIRE(sum == 50500);
  goc_ex::finish_within(goc_ex::generous(2000ms), "stop()", stop);
}

TEST_CASE("stop returns promptly when the workers are idle, and none is left") {
  auto jobs = goc::make_chan<int>();
  auto stop = start_workers(4, jobs, [](int) {});
  goc::sleep_for(20ms);  // let the workers reach their select
  std::size_t before_stop = goc::num_goroutine();
  auto elapsed = goc_ex::time_of([&] { goc_ex::finish_within(goc_ex::generous(2000ms), "stop()", stop); });
  REQUIRE(elapsed < goc_ex::generous(200ms));
  INFO("goroutines before stop: " << before_stop);
  // After stop(), no worker takes a job any more.
  bool taken = false;
  goc::select(goc::send_case(jobs, 1, [&] { taken = true; }), goc::default_case([] {}));
  REQUIRE_FALSE(taken);
}

TEST_CASE("stop returns only after the job a worker is handling has finished") {
  auto jobs = goc::make_chan<int>();
  auto started = goc::make_chan<goc::Empty>(1);
  auto finished = std::make_shared<std::atomic<bool>>(false);
  auto stop = start_workers(1, jobs, [started, finished](int) {
    started.send(goc::Empty{});
    goc::sleep_for(50ms);  // the job is still running when stop() is called
    *finished = true;
  });
  jobs.send(1);
  started.recv();
  goc_ex::finish_within(goc_ex::generous(2000ms), "stop()", stop);
  REQUIRE(finished->load());
}
