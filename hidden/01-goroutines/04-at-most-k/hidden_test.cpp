// Hidden tests for 01-goroutines/04-at-most-k: edge cases, randomized
// inputs with the bound checked every time, and work sharing.
#include "goc/testing/catch.hpp"

#include <chrono>
#include <mutex>
#include <random>
#include <set>
#include <vector>

#include <goc/goc.hpp>

#include "bounded.hpp"

using namespace std::chrono_literals;

TEST_CASE("no items means no calls") {
  int calls = 0;
  process_all({}, 3, [&](int) { ++calls; });
  REQUIRE(calls == 0);
}

TEST_CASE("k = 1 uses one goroutine besides main and still processes everything") {
  goc::reset_peak_goroutines();
  std::size_t before = goc::num_goroutine();
  goc::Mutex mu;
  std::multiset<int> processed;
  std::vector<int> items{5, 3, 5, 9};
  process_all(items, 1, [&](int item) {
    goc::sleep_for(2ms);
    std::lock_guard guard(mu);
    processed.insert(item);
  });
  REQUIRE(processed == std::multiset<int>(items.begin(), items.end()));
  REQUIRE(goc::peak_goroutines() <= before + 1);
}

TEST_CASE("more workers allowed than items still processes each item once") {
  goc::Mutex mu;
  std::multiset<int> processed;
  std::vector<int> items{7, 8};
  process_all(items, 10, [&](int item) {
    std::lock_guard guard(mu);
    processed.insert(item);
  });
  REQUIRE(processed == std::multiset<int>(items.begin(), items.end()));
}

TEST_CASE("random inputs: each item once, and never more than k goroutines") {
  std::mt19937 rng(20240601);  // fixed seed: the same inputs on every run
  for (int round = 0; round < 25; ++round) {
    int n = std::uniform_int_distribution<int>(0, 120)(rng);
    int k = std::uniform_int_distribution<int>(1, 8)(rng);
    std::vector<int> items(n);
    for (int& item : items) item = std::uniform_int_distribution<int>(-50, 50)(rng);
    goc::reset_peak_goroutines();
    std::size_t before = goc::num_goroutine();
    goc::Mutex mu;
    std::multiset<int> processed;
    process_all(items, k, [&](int item) {
      if (item % 4 == 0) goc::sleep_for(1ms);  // some calls overlap for a while
      std::lock_guard guard(mu);
      processed.insert(item);
    });
    INFO("round " << round << ": " << n << " items, k = " << k);
    REQUIRE(processed == std::multiset<int>(items.begin(), items.end()));
    REQUIRE(goc::peak_goroutines() <= before + k);
  }
}

TEST_CASE("200 items with k = 3 never have more than 3 goroutines besides main") {
  goc::reset_peak_goroutines();
  std::size_t before = goc::num_goroutine();
  std::vector<int> items(200, 1);
  process_all(items, 3, [](int) { goc::sleep_for(200us); });
  REQUIRE(goc::peak_goroutines() <= before + 3);
}

TEST_CASE("a slow item holds up only its own goroutine") {
  // 16 items, k = 4; four of them take 150 ms, placed so that every group of
  // four consecutive items holds one. Sharing the work finishes in about
  // 150 ms; waiting for each group of four before starting the next takes
  // 600 ms, and so does one call at a time.
  std::vector<int> items(16);
  for (int i = 0; i < 16; ++i) items[i] = i;
  auto is_slow = [](int i) { return i % 4 == (i / 4) % 4; };
  auto start = goc::now();
  process_all(items, 4, [&](int item) {
    if (is_slow(item)) goc::sleep_for(150ms);
  });
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(goc::now() - start);
  INFO("took " << elapsed.count() << " ms");
  REQUIRE(elapsed < 400ms);
}
