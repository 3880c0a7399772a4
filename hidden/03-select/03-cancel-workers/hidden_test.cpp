// Hidden tests for 03-select/03-cancel-workers: stop waits for a busy
// worker, many workers, repetition, no job taken after stop.
#include "goc/testing/catch.hpp"

#include <atomic>
#include <chrono>
#include <memory>

#include <goc/goc.hpp>

#include "exercise_support.hpp"
#include "workers.hpp"

using namespace std::chrono_literals;

TEST_CASE("stop waits for a worker busy with a job, then returns") {
  auto jobs = goc::make_chan<int>();
  auto started = goc::make_chan<goc::Empty>(1);
  auto release = goc::make_chan<goc::Empty>();
  auto finished = std::make_shared<std::atomic<bool>>(false);
  auto stop = start_workers(2, jobs, [=](int) {
    started.send(goc::Empty{});
    release.recv();  // the job lasts until the test releases it
    *finished = true;
  });
  jobs.send(1);
  started.recv();  // a worker is now inside handle
  auto stop_returned = goc::make_chan<goc::Empty>(1);
  goc::go([stop, stop_returned] {
    stop();
    stop_returned.send(goc::Empty{});
  });
  // While the job runs, stop() must not return.
  bool early = false;
  goc::select(goc::recv_case(stop_returned, [&] { early = true; }),
              goc::recv_case(goc::time_after(100ms), [] {}));
  REQUIRE_FALSE(early);
  release.send(goc::Empty{});
  bool returned = false;
  goc::select(goc::recv_case(stop_returned, [&] { returned = true; }),
              goc::recv_case(goc::time_after(goc_ex::generous(1000ms)), [] {}));
  REQUIRE(returned);
  REQUIRE(finished->load());
}

TEST_CASE("50 workers all stop with one stop()") {
  auto jobs = goc::make_chan<int>();
  auto count = std::make_shared<std::atomic<int>>(0);
  std::size_t before = goc::num_goroutine();
  auto stop = start_workers(50, jobs, [count](int) { ++*count; });
  for (int j = 0; j < 500; ++j) jobs.send(j);
  goc_ex::finish_within(goc_ex::generous(3000ms), "stop()", stop);
  REQUIRE(count->load() == 500);
  // Every worker has returned (a goroutine may still be finishing its
  // return; give it a moment, as the leak check would).
  auto deadline = goc::now() + goc_ex::generous(1000ms);
  while (goc::num_goroutine() > before && goc::now() < deadline) goc::sleep_for(1ms);
  REQUIRE(goc::num_goroutine() <= before);
}

TEST_CASE("start and stop 20 crews in a row, with jobs in flight") {
  for (int round = 0; round < 20; ++round) {
    auto jobs = goc::make_chan<int>(5);
    auto handled = std::make_shared<std::atomic<int>>(0);
    auto stop = start_workers(1 + round % 4, jobs, [handled](int) { ++*handled; });
    for (int j = 0; j < 5; ++j) jobs.send(j);  // buffered: some may stay unhandled
    goc_ex::finish_within(goc_ex::generous(2000ms), "stop()", stop);
    int after_stop = handled->load();
    // Jobs still buffered stay there: nobody receives after stop().
    goc::sleep_for(2ms);
    REQUIRE(handled->load() == after_stop);
    REQUIRE(after_stop + static_cast<int>(jobs.len()) == 5);
  }
}

TEST_CASE("stop() does not close the jobs channel") {
  auto jobs = goc::make_chan<int>(1);
  auto stop = start_workers(2, jobs, [](int) {});
  goc_ex::finish_within(goc_ex::generous(2000ms), "stop()", stop);
  jobs.send(3);  // would panic if jobs had been closed
  REQUIRE(jobs.recv() == 3);
}
