// Hidden tests for 01-goroutines/03-loop-capture: repetition, edge cases,
// and goroutines that all exist at once.
#include "goc/testing/catch.hpp"

#include <mutex>
#include <set>
#include <vector>

#include <goc/goc.hpp>

#include "exercise_support.hpp"
#include "visit.hpp"

namespace {

std::multiset<int> visited_indices(int n) {
  goc::Mutex mu;
  std::multiset<int> indices;
  visit_each_index(n, [&](int i) {
    std::lock_guard guard(mu);
    indices.insert(i);
  });
  return indices;
}

std::multiset<int> indices_below(int n) {
  std::multiset<int> all;
  for (int i = 0; i < n; ++i) all.insert(i);
  return all;
}

}  // namespace

TEST_CASE("n = 0 visits nothing and n = 1 visits index 0") {
  REQUIRE(visited_indices(0).empty());
  REQUIRE(visited_indices(1) == indices_below(1));
}

TEST_CASE("every index is visited exactly once, run after run of 200 goroutines") {
  // Under ThreadSanitizer, which reports a shared loop variable on the first
  // run, each goroutine is its own OS thread: fewer runs there.
  const int runs = goc_ex::under_tsan ? 4 : 20;
  for (int run = 0; run < runs; ++run) {
    INFO("run " << run);
    REQUIRE(visited_indices(200) == indices_below(200));
  }
}

TEST_CASE("all n goroutines run at the same time") {
  // Each visit waits until all 50 have begun: only visits running
  // concurrently can get past this (one at a time would deadlock).
  constexpr int n = 50;
  goc::WaitGroup all_started;
  all_started.add(n);
  goc::Mutex mu;
  std::multiset<int> indices;
  visit_each_index(n, [&](int i) {
    all_started.done();
    all_started.wait();
    std::lock_guard guard(mu);
    indices.insert(i);
  });
  REQUIRE(indices == indices_below(n));
}

TEST_CASE("visits that take different times still each get their own index") {
  goc::Mutex mu;
  std::vector<int> seen(64, 0);
  visit_each_index(64, [&](int i) {
    if (i % 3 == 0) goc::sleep_for(std::chrono::milliseconds(i % 5));
    std::lock_guard guard(mu);
    ++seen.at(i);
  });
  REQUIRE(seen == std::vector<int>(64, 1));
}
