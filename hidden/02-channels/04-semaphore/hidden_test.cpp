// Hidden tests for 02-channels/04-semaphore: the bound under many settings,
// the bound is reached (the tasks really overlap), edge cases.
#include "goc/testing/catch.hpp"

#include <algorithm>
#include <chrono>
#include <mutex>

#include <goc/goc.hpp>

#include "semaphore.hpp"

using namespace std::chrono_literals;

namespace {

struct ConcurrencyMeter {
  goc::Mutex mu;
  int running = 0;
  int most = 0;
  int calls = 0;
  void enter() {
    std::lock_guard guard(mu);
    ++calls;
    most = std::max(most, ++running);
  }
  void leave() {
    std::lock_guard guard(mu);
    --running;
  }
};

}  // namespace

TEST_CASE("n = 0 runs nothing") {
  int calls = 0;
  run_limited(0, 2, [&](int) { ++calls; });
  REQUIRE(calls == 0);
}

TEST_CASE("limit 1 runs the tasks one at a time") {
  ConcurrencyMeter c;
  run_limited(20, 1, [&](int) {
    c.enter();
    goc::sleep_for(1ms);
    c.leave();
  });
  REQUIRE(c.calls == 20);
  REQUIRE(c.most == 1);
}

TEST_CASE("the bound holds for many (n, limit) pairs") {
  for (int limit : {1, 2, 5, 8}) {
    for (int n : {1, 7, 40}) {
      ConcurrencyMeter c;
      run_limited(n, limit, [&](int i) {
        c.enter();
        if (i % 2 == 0) goc::sleep_for(1ms);
        c.leave();
      });
      INFO("n = " << n << ", limit = " << limit);
      REQUIRE(c.calls == n);
      REQUIRE(c.most <= limit);
    }
  }
}

TEST_CASE("limit tasks really run at the same time") {
  // The first 4 tasks wait until 4 are running at once: a semaphore with
  // fewer slots than `limit` (or one task at a time) would deadlock here.
  goc::WaitGroup four_running;
  four_running.add(4);
  run_limited(12, 4, [&](int i) {
    if (i < 4) {
      four_running.done();
      four_running.wait();
    }
  });
  SUCCEED("four tasks overlapped");
}

TEST_CASE("a limit larger than n lets every task overlap") {
  goc::WaitGroup all_running;
  all_running.add(5);
  run_limited(5, 50, [&](int) {
    all_running.done();
    all_running.wait();
  });
  SUCCEED("all five tasks overlapped");
}
