// Free runs on fibers (runtime/src/processors.cpp): goroutines multiplexed on
// a few threads. Each test states what a goroutine may rely on however its
// goroutines are placed on threads; the ones about threads themselves hold
// only when goroutines are fibers (the plain build), and say so.
#include <dirent.h>

#include <atomic>
#include <chrono>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "goc/goc.hpp"
#include "goc/detail/sched.hpp"
#include "goc/testing/catch.hpp"
#include "child_process.hpp"
#include "test_support.hpp"

using goc::make_chan;
using Clock = std::chrono::steady_clock;

namespace {

// Threads of this process now (entries of /proc/self/task).
int thread_count() {
  int n = 0;
  if (DIR* d = opendir("/proc/self/task")) {
    while (dirent* e = readdir(d))
      if (e->d_name[0] != '.') ++n;
    closedir(d);
  }
  return n;
}

// Spins until `flag` is set or `limit` passes; true if it was set.
bool spin_until(const std::atomic<bool>& flag, std::chrono::seconds limit = std::chrono::seconds(20)) {
  auto deadline = Clock::now() + limit;
  while (!flag.load()) {
    if (Clock::now() > deadline) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("goroutines asleep in goc::sleep_for hold no thread of their own") {
  if (!goc::detail::fibers_on()) return;  // a thread per goroutine: nothing to check
  constexpr int kSleepers = 200;
  const int before = thread_count();
  goc::WaitGroup started, finished;
  started.add(kSleepers);
  finished.add(kSleepers);
  for (int i = 0; i < kSleepers; ++i)
    goc::go([&] {
      started.done();
      goc::sleep_for(std::chrono::milliseconds(500));
      finished.done();
    });
  started.wait();
  const int during = thread_count();
  finished.wait();
  INFO(before << " threads before, " << during << " while " << kSleepers << " goroutines sleep");
  CHECK(during - before < 20);
}

TEST_CASE("main starting goroutines in a busy loop gets no more threads than the cores") {
  // Main never blocks while it starts them, so its processor never switches;
  // the other threads keep taking what it starts. Threads beyond the cores
  // would only take turns on them (the monitor once added one a millisecond).
  if (!goc::detail::fibers_on()) return;  // a thread per goroutine: nothing to check
  constexpr int kGoroutines = 200000;
  const std::size_t old_limit = goc::max_goroutines();
  goc::set_max_goroutines(kGoroutines + 100);
  const int before = thread_count();
  const auto start = Clock::now();
  goc::WaitGroup wg;
  wg.add(kGoroutines);
  for (int i = 0; i < kGoroutines; ++i) goc::go([&wg] { wg.done(); });
  wg.wait();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  const int after = thread_count();
  goc::set_max_goroutines(old_limit);
  INFO(before << " threads before, " << after << " after " << kGoroutines << " goroutines in "
              << ms.count() << " ms, on " << std::thread::hardware_concurrency() << " cores");
  // Generous: a worker the machine keeps off its core for a whole millisecond
  // while main's queue waits may still earn one more.
  CHECK(after - before <= 10);
}

TEST_CASE("goroutines blocked in calls the runtime cannot see do not hold up the others") {
  // More goroutines than cores block their threads in std::this_thread::sleep_for;
  // a ping-pong and a fan-out of other goroutines still finish long before they wake.
  const int blockers = static_cast<int>(std::thread::hardware_concurrency()) + 2;
  std::atomic<int> woke{0};
  goc::WaitGroup blocking, blockers_done;
  blocking.add(blockers);
  blockers_done.add(blockers);
  for (int i = 0; i < blockers; ++i)
    goc::go([&] {
      blocking.done();
      std::this_thread::sleep_for(std::chrono::seconds(3));
      woke.fetch_add(1);
      blockers_done.done();
    });
  blocking.wait();
  auto ping = make_chan<int>(), pong = make_chan<int>();
  goc::go([=] {
    for (int v : ping) pong.send(v + 1);
    pong.close();
  });
  int last = 0;
  goc::go([=, &last] {
    for (int i = 0; i < 1000; ++i) ping.send(i);
    ping.close();
  });
  for (int v : pong) last = v;
  goc::WaitGroup fan;
  fan.add(50);
  for (int i = 0; i < 50; ++i) goc::go([&] { fan.done(); });
  fan.wait();
  CHECK(last == 1000);
  CHECK(woke.load() == 0);  // all of it happened while every blocker still slept
  blockers_done.wait();
}

TEST_CASE("a goroutine made runnable by one that then loops without blocking still runs") {
  std::atomic<bool> ran{false}, seen{false};
  auto wake = make_chan<int>();
  auto done = make_chan<goc::Empty>();
  goc::go([=, &ran] {
    wake.recv();
    ran = true;
  });
  goc::go([=, &ran, &seen] {
    wake.send(1);            // the receiver can run now...
    seen = spin_until(ran);  // ...while this goroutine never blocks
    done.close();
  });
  done.recv();
  CHECK(seen.load());
}

TEST_CASE("main looping without blocking still sees the goroutine it started run") {
  std::atomic<bool> ran{false};
  goc::WaitGroup wg;
  wg.add(1);
  goc::go([&] {
    ran = true;
    wg.done();
  });
  CHECK(spin_until(ran));
  wg.wait();
}

TEST_CASE("a goroutine that wakes main and then waits for main without blocking lets main run") {
  std::atomic<bool> main_ran{false}, seen{false};
  auto to_main = make_chan<int>();
  auto done = make_chan<goc::Empty>();
  goc::go([=, &main_ran, &seen] {
    to_main.send(7);              // main is parked in recv: this wakes it...
    seen = spin_until(main_ran);  // ...and main must run while this spins
    done.close();
  });
  CHECK(to_main.recv() == 7);
  main_ran = true;
  done.recv();
  CHECK(seen.load());
}

TEST_CASE("a goroutine that blocks inside a catch block still has its own exception after") {
  constexpr int kGoroutines = 64;
  auto turn = make_chan<int>();
  std::atomic<int> own{0};
  goc::WaitGroup wg;
  wg.add(kGoroutines);
  for (int i = 0; i < kGoroutines; ++i)
    goc::go([=, &own, &wg] {
      try {
        throw std::runtime_error(std::to_string(i));
      } catch (const std::runtime_error&) {
        // Block while handling it: others throw and catch on this thread meanwhile.
        if (i % 2) turn.send(i); else turn.recv();
        try {
          throw;  // rethrows the exception being handled: it must be this goroutine's
        } catch (const std::runtime_error& again) {
          if (again.what() == std::to_string(i) && std::uncaught_exceptions() == 0) own.fetch_add(1);
        }
      }
      wg.done();
    });
  wg.wait();
  CHECK(own.load() == kGoroutines);
}

TEST_CASE("two goroutines handing a value back and forth take turns on one thread") {
  if (!goc::detail::fibers_on()) return;  // each has a thread of its own
  constexpr int kRounds = 2000;
  auto ping = make_chan<int>(), pong = make_chan<int>();
  std::vector<std::thread::id> pinger(kRounds), ponger(kRounds);
  goc::WaitGroup wg;
  wg.add(2);
  goc::go([&] {
    for (int i = 0; i < kRounds; ++i) {
      ping.send(i);
      pong.recv();
      pinger[i] = std::this_thread::get_id();
    }
    wg.done();
  });
  goc::go([&] {
    for (int i = 0; i < kRounds; ++i) {
      ping.recv();
      ponger[i] = std::this_thread::get_id();
      pong.send(i);
    }
    wg.done();
  });
  wg.wait();
  // After the first rounds both run where the other made them runnable. A
  // few rounds may still move (an idle thread takes a goroutine whose thread
  // the machine's other load kept off its core for a millisecond).
  int same = 0;
  for (int i = kRounds / 10; i < kRounds; ++i) same += pinger[i] == ponger[i];
  INFO(same << " of " << kRounds - kRounds / 10 << " rounds ran both sides on one thread");
  CHECK(same >= (kRounds - kRounds / 10) * 9 / 10);
}

TEST_CASE("yield runs the goroutines queued on the caller's thread between a read and a write") {
  if (!goc::detail::fibers_on()) return;  // threads: yield only gives up the core
  // Eight goroutines on two or so threads: at first a thread holds several,
  // so a yield there lets another of them run and read the same value.
  constexpr int kGoroutines = 8, kEach = 50;
  std::atomic<int> total{0};
  goc::WaitGroup wg;
  for (int g = 0; g < kGoroutines; ++g) {
    wg.add(1);
    goc::go([&] {
      for (int i = 0; i < kEach; ++i) {
        int seen = total.load(std::memory_order_relaxed);
        goc::yield();
        total.store(seen + 1, std::memory_order_relaxed);
      }
      wg.done();
    });
  }
  wg.wait();
  CHECK(total.load() < kGoroutines * kEach);
}

TEST_CASE("GOC_GOROUTINES=threads gives every goroutine an OS thread of its own") {
  auto threads_in = [](const ChildResult& r) {
    auto at = r.output.find("threads: ");
    return at == std::string::npos ? -1 : std::stoi(r.output.substr(at + 9));
  };
  ChildResult own = run_scenario("threads-while-50-goroutines-block", "GOC_GOROUTINES=threads");
  INFO(own.output);
  CHECK(own.exit_status == 0);
  CHECK(threads_in(own) >= 50);
  ChildResult shared = run_scenario("threads-while-50-goroutines-block");
  INFO(shared.output);
  CHECK(shared.exit_status == 0);
#ifdef GOC_TSAN_BUILD
  CHECK_FALSE(goc::detail::fibers_on());  // the race detector must see goroutines as threads
  CHECK(threads_in(shared) >= 50);
#else
  CHECK(goc::detail::fibers_on());
  CHECK(threads_in(shared) < 20);
#endif
}
