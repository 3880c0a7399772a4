// Public tests for 02-channels/04-semaphore.
#include "goc/testing/catch.hpp"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <set>

#include <goc/goc.hpp>

#include "semaphore.hpp"

using namespace std::chrono_literals;

namespace {

// Counts the task calls running right now and the most seen at once.
struct Concurrency {
  goc::Mutex mu;
  int running = 0;
  int most = 0;
  void enter() {
    std::lock_guard guard(mu);
    most = std::max(most, ++running);
  }
  void leave() {
    std::lock_guard guard(mu);
    --running;
  }
};

}  // namespace

TEST_CASE("every task runs exactly once") {
  goc::Mutex mu;
  std::multiset<int> ran;
  run_limited(30, 4, [&](int i) {
    std::lock_guard guard(mu);
    ran.insert(i);
  });
  std::multiset<int> expected;
  for (int i = 0; i < 30; ++i) expected.insert(i);
  REQUIRE(ran == expected);
}

TEST_CASE("no more than 3 of 30 slow tasks run at the same time") {
  Concurrency c;
  run_limited(30, 3, [&](int) {
    c.enter();
    goc::sleep_for(10ms);
    c.leave();
  });
  REQUIRE(c.most <= 3);
}
