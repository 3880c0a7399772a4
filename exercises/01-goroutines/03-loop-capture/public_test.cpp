// Public tests for 01-goroutines/03-loop-capture.
#include "goc/testing/catch.hpp"

#include <map>
#include <mutex>
#include <set>

#include <goc/goc.hpp>

#include "visit.hpp"

namespace {

// Which index each goroutine visited, and on which goroutine.
struct Visits {
  goc::Mutex mu;
  std::multiset<int> indices;
  std::set<std::uint64_t> goroutine_ids;

  void record(int i) {
    std::lock_guard guard(mu);
    indices.insert(i);
    goroutine_ids.insert(goc::goroutine_id());
  }
};

std::multiset<int> zero_to(int n) {
  std::multiset<int> all;
  for (int i = 0; i < n; ++i) all.insert(i);
  return all;
}

}  // namespace

TEST_CASE("every index from 0 to n-1 is visited exactly once") {
  Visits visits;
  visit_each_index(100, [&](int i) { visits.record(i); });
  REQUIRE(visits.indices == zero_to(100));
}

TEST_CASE("each index is visited on its own goroutine") {
  Visits visits;
  std::uint64_t caller = goc::goroutine_id();
  visit_each_index(20, [&](int i) { visits.record(i); });
  REQUIRE(visits.goroutine_ids.size() == 20);
  REQUIRE(visits.goroutine_ids.count(caller) == 0);
}
