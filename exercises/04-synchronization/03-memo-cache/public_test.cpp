// Public tests for 04-sync/03-memo-cache.
#include "goc/testing/catch.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <mutex>

#include <goc/goc.hpp>

#include "exercise_support.hpp"
#include "memo.hpp"

using namespace std::chrono_literals;

namespace {

// compute(key) = key * key, counting the calls per key.
struct CountingSquare {
  goc::Mutex mu;
  std::map<int, int> calls;
  int operator()(int key) {
    std::lock_guard guard(mu);
    ++calls[key];
    return key * key;
  }
};

}  // namespace

TEST_CASE("get returns compute(key), computing each key once") {
  auto square = std::make_shared<CountingSquare>();
  Memo memo([square](int key) { return (*square)(key); });
  REQUIRE(memo.get(3) == 9);
  REQUIRE(memo.get(3) == 9);
  REQUIRE(memo.get(-4) == 16);
  REQUIRE(memo.get(3) == 9);
  REQUIRE(square->calls == std::map<int, int>{{3, 1}, {-4, 1}});
}

TEST_CASE("20 goroutines asking for one key at once compute it once") {
  auto calls = std::make_shared<std::atomic<int>>(0);
  auto release = goc::make_chan<goc::Empty>();
  Memo memo([calls, release](int key) {
    ++*calls;
    release.recv();  // the computation lasts until the test says so
    return key + 1;
  });
  auto results = goc::make_chan<int>(20);
  for (int i = 0; i < 20; ++i) goc::go([&memo, results] { results.send(memo.get(41)); });
  // Every caller must be parked (one computing, the others waiting for it)
  // before the computation is allowed to finish.
  bool all_parked = goc_ex::wait_until_blocked(20, goc_ex::generous(2000ms), __FILE__);
  release.close();
  for (int i = 0; i < 20; ++i) REQUIRE(results.recv() == 42);
  REQUIRE(all_parked);  // a caller that busy-waits is never parked
  REQUIRE(calls->load() == 1);
}

TEST_CASE("a key can be computed while another key's computation is still running") {
  auto release = goc::make_chan<goc::Empty>();
  auto memo = std::make_shared<Memo>([release](int key) {
    if (key == 1) release.recv();  // key 1 takes until the test says so
    return key * 10;
  });
  auto slow_result = goc::make_chan<int>(1);
  goc::go([memo, slow_result] { slow_result.send(memo->get(1)); });
  REQUIRE(goc_ex::wait_until_blocked(1, goc_ex::generous(2000ms), __FILE__));
  // No lock may be held while key 1 is computed: key 2 does not wait for it.
  int other = 0;
  goc_ex::finish_within(goc_ex::generous(1000ms), "get(2) while get(1) computes",
                        [&] { other = memo->get(2); });
  release.close();
  REQUIRE(other == 20);
  REQUIRE(slow_result.recv() == 10);
}
