// Public tests for 01-goroutines/04-at-most-k.
#include "goc/testing/catch.hpp"

#include <chrono>
#include <mutex>
#include <numeric>
#include <set>
#include <vector>

#include <goc/goc.hpp>

#include "bounded.hpp"
#include "exercise_support.hpp"

using namespace std::chrono_literals;

namespace {

std::vector<int> one_to(int n) {
  std::vector<int> v(n);
  std::iota(v.begin(), v.end(), 1);
  return v;
}

}  // namespace

TEST_CASE("every item is processed exactly once") {
  goc::Mutex mu;
  std::multiset<int> processed;
  process_all(one_to(100), 4, [&](int item) {
    std::lock_guard guard(mu);
    processed.insert(item);
  });
  auto all = one_to(100);
  REQUIRE(processed == std::multiset<int>(all.begin(), all.end()));
}

TEST_CASE("40 slow items with k = 4 never have more than 4 goroutines besides main") {
  goc::reset_peak_goroutines();
  std::size_t before = goc::num_goroutine();
  process_all(one_to(40), 4, [](int) { goc::sleep_for(10ms); });
  INFO("goroutines alive before: " << before << ", peak during process_all: "
                                   << goc::peak_goroutines());
  REQUIRE(goc::peak_goroutines() <= before + 4);
}

TEST_CASE("k items with k = 4 are processed at the same time") {
  // Each call waits until all 4 have begun: fewer than 4 at a time deadlocks.
  goc::WaitGroup all_started;
  all_started.add(4);
  process_all(one_to(4), 4, [&](int) {
    all_started.done();
    all_started.wait();
  });
  SUCCEED("all four calls ran at once");
}

TEST_CASE("a slow item holds up only its own goroutine, not the next items") {
  // 16 items, k = 4, and four slow ones, one in every run of four
  // consecutive items and one in every stride of four (0, 5, 10, 15). When
  // the k goroutines share the items the call lasts about one slow item;
  // starting k goroutines and waiting for all of them before the next k
  // lasts four. Under a seeded schedule time is virtual and exact.
  std::vector<int> items(16);
  std::iota(items.begin(), items.end(), 0);
  auto is_slow = [](int i) { return i % 4 == (i / 4) % 4; };
  auto slow = 150ms;
  auto elapsed = goc_ex::time_of([&] {
    process_all(items, 4, [&](int item) {
      if (is_slow(item)) goc::sleep_for(slow);
    });
  });
  INFO("process_all took " << elapsed.count() << " ms; each slow item takes 150 ms");
  REQUIRE(elapsed < goc_ex::generous(2 * slow + 50ms));
}
