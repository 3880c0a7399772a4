// Hidden tests for 04-sync/03-memo-cache: different keys in parallel, ready
// keys while another computes, random concurrent use, no busy waiting.
#include "goc/testing/catch.hpp"

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <vector>

#include <goc/goc.hpp>

#include "exercise_support.hpp"
#include "memo.hpp"

using namespace std::chrono_literals;

TEST_CASE("two different keys are computed at the same time") {
  // compute(1) waits until compute(2) has started. With a lock held while
  // computing, compute(2) could not start until compute(1) ended.
  auto two_started = goc::make_chan<goc::Empty>();
  auto overlapped = std::make_shared<std::atomic<bool>>(false);
  Memo memo([two_started, overlapped](int key) {
    if (key == 1) {
      goc::select(goc::recv_case(two_started, [&] { *overlapped = true; }),
                  goc::recv_case(goc::time_after(goc_ex::generous(1000ms)), [] {}));
    } else {
      two_started.close();
    }
    return key * 10;
  });
  auto results = goc::make_chan<int>(2);
  goc::go([&memo, results] { results.send(memo.get(1)); });
  goc::go([&memo, results] { results.send(memo.get(2)); });
  int sum = results.recv() + results.recv();
  REQUIRE(sum == 30);
  REQUIRE(overlapped->load());
}

TEST_CASE("a key already computed is returned while another key is being computed") {
  auto release = goc::make_chan<goc::Empty>();
  Memo memo([release](int key) {
    if (key == 99) release.recv();
    return -key;
  });
  REQUIRE(memo.get(5) == -5);
  auto slow = goc::make_chan<int>(1);
  goc::go([&memo, slow] { slow.send(memo.get(99)); });
  REQUIRE(goc_ex::wait_until_blocked(1, goc_ex::generous(2000ms), __FILE__));
  // get(5) must not wait for key 99's computation.
  auto fast = goc::make_chan<int>(1);
  goc::go([&memo, fast] { fast.send(memo.get(5)); });
  bool in_time = false;
  goc::select(goc::recv_case(fast, [&](int v) { in_time = (v == -5); }),
              goc::recv_case(goc::time_after(goc_ex::generous(500ms)), [] {}));
  release.close();
  REQUIRE(slow.recv() == -99);
  if (!in_time) fast.recv();  // let the late get finish before the Memo dies
  REQUIRE(in_time);
}

TEST_CASE("many goroutines, random keys: each key computed exactly once, right values") {
  struct Counts {
    goc::Mutex mu;
    std::map<int, int> calls;
  };
  auto counts = std::make_shared<Counts>();
  Memo memo([counts](int key) {
    {
      std::lock_guard guard(counts->mu);
      ++counts->calls[key];
    }
    if (key % 5 == 0) goc::sleep_for(1ms);  // some computations are slow
    return key * 3 + 1;
  });
  constexpr int goroutines = 16;
  auto wrong = goc::make_chan<int>(goroutines);
  for (int g = 0; g < goroutines; ++g) {
    goc::go([&memo, wrong, g] {
      std::mt19937 rng(1000 + g);
      int bad = 0;
      for (int i = 0; i < 300; ++i) {
        int key = std::uniform_int_distribution<int>(0, 40)(rng);
        if (memo.get(key) != key * 3 + 1) ++bad;
      }
      wrong.send(bad);
    });
  }
  int bad = 0;
  for (int g = 0; g < goroutines; ++g) bad += wrong.recv();
  REQUIRE(bad == 0);
  std::lock_guard guard(counts->mu);
  for (const auto& [key, n] : counts->calls) {
    INFO("key " << key);
    REQUIRE(n == 1);
  }
}

TEST_CASE("waiting callers block instead of spinning") {
  auto release = goc::make_chan<goc::Empty>();
  Memo memo([release](int key) {
    release.recv();
    return key;
  });
  auto results = goc::make_chan<int>(8);
  for (int i = 0; i < 8; ++i) goc::go([&memo, results] { results.send(memo.get(7)); });
  bool parked = goc_ex::wait_until_blocked(8, goc_ex::generous(2000ms), __FILE__);
  auto cpu_before = goc_ex::process_cpu_time();
  goc::sleep_for(200ms);
  auto cpu_used = goc_ex::process_cpu_time() - cpu_before;
  release.close();
  for (int i = 0; i < 8; ++i) REQUIRE(results.recv() == 7);
  REQUIRE(parked);
  INFO("CPU used by 8 waiting callers in 200 ms: " << cpu_used.count() << " ms");
  REQUIRE(cpu_used < 50ms);
}
