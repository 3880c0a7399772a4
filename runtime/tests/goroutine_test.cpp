// go(), the goroutine registry, the fan-out guard and the leak check.
#include <time.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>

#include "goc/goc.hpp"
#include "goc/testing/catch.hpp"
#include "test_support.hpp"

using goc::make_chan;

namespace {
void add_into(goc::Channel<int> out, int a, int b) { out.send(a + b); }
}  // namespace

TEST_CASE("go runs a function with arguments on a new goroutine") {
  auto out = make_chan<int>();
  goc::go(add_into, out, 2, 3);
  CHECK(out.recv() == 5);
  auto five = make_chan<int>();
  goc::go([](goc::Channel<int> c, int a, int b, int d, int e) { c.send(a + b + d + e); }, five, 1, 2,
          3, 4);
  CHECK(five.recv() == 10);
}

TEST_CASE("go copies its arguments before returning, as Go evaluates them in the caller") {
  auto out = make_chan<std::string>();
  std::string word = "before";
  goc::go([](goc::Channel<std::string> c, std::string w) { c.send(w); }, out, word);
  word = "after";
  CHECK(out.recv() == "before");
}

TEST_CASE("go accepts move-only arguments and captures") {
  auto out = make_chan<int>();
  auto p = std::make_unique<int>(11);
  goc::go([out, q = std::move(p)] { out.send(*q); });
  CHECK(out.recv() == 11);
}

TEST_CASE("the caller continues at once while the goroutine runs") {
  auto gate = make_chan<goc::Empty>();
  auto done = make_chan<goc::Empty>();
  goc::go([=] {
    gate.recv();
    done.send({});
  });
  // If go() waited for the goroutine, this send would never be reached.
  gate.send({});
  done.recv();
}

namespace {
// Touches `bytes` of the stack, one frame of 16 KiB at a time (volatile, so
// the frames cannot be optimized away). Too small a stack crashes the test.
long use_stack(std::size_t bytes) {
  volatile char frame[16 * 1024];
  for (std::size_t i = 0; i < sizeof frame; i += 4096) frame[i] = static_cast<char>(i);
  long here = frame[4096];
  return bytes <= sizeof frame ? here : here + use_stack(bytes - sizeof frame);
}
}  // namespace

TEST_CASE("a goroutine has at least 512 KiB of stack, with or without ThreadSanitizer") {
  // Under ThreadSanitizer goroutine threads get a 2 MiB stack, of which the
  // detector's own thread-local state takes about 770 KiB (see sched.cpp).
  auto out = make_chan<long>();
  goc::go([=] { out.send(use_stack(512 * 1024)); });
  CHECK(out.recv() >= 0);
}

TEST_CASE("a goroutine that yields while it holds a Mutex goes on and the Mutex still excludes") {
  constexpr int kGoroutines = 8, kEach = 200;
  long total = 0;
  goc::Mutex mu;
  goc::WaitGroup wg;
  for (int g = 0; g < kGoroutines; ++g) {
    wg.add(1);
    goc::go([&] {
      for (int i = 0; i < kEach; ++i) {
        std::lock_guard guard(mu);
        long seen = total;
        goc::yield();  // the others run, find mu held and wait
        total = seen + 1;
      }
      wg.done();
    });
  }
  goc::yield();  // main too: it goes on at once or after the others ran
  wg.wait();
  CHECK(total == kGoroutines * kEach);
}

TEST_CASE("main is goroutine 1 and goroutines get increasing ids") {
  CHECK(goc::goroutine_id() == 1);
  auto ids = make_chan<std::uint64_t>(2);
  goc::go([=] { ids.send(goc::goroutine_id()); });
  auto first = ids.recv();
  goc::go([=] { ids.send(goc::goroutine_id()); });
  CHECK(ids.recv() > first);
}

TEST_CASE("num_goroutine counts live goroutines and peak_goroutines the most at once") {
  REQUIRE(wait_for_live_count(1));  // earlier tests' goroutines have exited
  auto base = goc::num_goroutine();
  goc::reset_peak_goroutines();
  auto release = make_chan<goc::Empty>();
  goc::WaitGroup wg;
  for (int i = 0; i < 5; ++i) {
    wg.add(1);
    goc::go([&wg, release] {
      release.recv();
      wg.done();
    });
  }
  CHECK(goc::num_goroutine() == base + 5);
  CHECK(goc::peak_goroutines() == base + 5);
  release.close();
  wg.wait();
  CHECK(goc::peak_goroutines() == base + 5);
  goc::reset_peak_goroutines();
  CHECK(goc::peak_goroutines() <= base + 5);
}

TEST_CASE("the goroutine dump shows state, where it blocked and where it was started") {
  auto ch = make_chan<int>();
  auto id = next_id();
  goc::go([=] { ch.recv(); });
  REQUIRE(wait_for_state(id, "chan receive"));
  bool found = false;
  for (const auto& g : goc::goroutines()) {
    if (g.id != id) continue;
    found = true;
    CHECK(g.created_at.find("goroutine_test.cpp:") != std::string::npos);
    CHECK(g.blocked_at.find("goroutine_test.cpp:") != std::string::npos);
  }
  CHECK(found);
  std::string text = goc::format_goroutines(goc::goroutines());
  CHECK(text.find("goroutine " + std::to_string(id) + " [chan receive]:") != std::string::npos);
  ch.send(1);
}

TEST_CASE("the fan-out guard panics with a message that names the pitfall and the cure") {
  // Goroutines of earlier tests may still be on their way out: let the live
  // count settle so the limit below leaves room for exactly ten.
  REQUIRE(wait_for_live_count(1));
  auto saved = goc::max_goroutines();
  auto release = make_chan<goc::Empty>();
  goc::set_max_goroutines(goc::num_goroutine() + 10);
  std::string message;
  int started = 0;
  try {
    for (int i = 0; i < 100; ++i) {
      goc::go([=] { release.recv(); });
      ++started;
    }
  } catch (const goc::Panic& p) {
    message = p.what();
  }
  goc::set_max_goroutines(saved);
  release.close();
  CHECK(started == 10);
  CHECK(message.find("fan-out") != std::string::npos);
  CHECK(message.find("worker pool") != std::string::npos);
}

TEST_CASE("the leak check passes when every goroutine of the test has finished") {
  goc::LeakCheck check;
  goc::WaitGroup wg;
  for (int i = 0; i < 4; ++i) {
    wg.add(1);
    goc::go([&wg] { wg.done(); });
  }
  wg.wait();
  CHECK(check.leaks().empty());
}

TEST_CASE("the leak check names a goroutine left blocked, with where it started and blocked",
          "[leaks-ok]") {
  goc::LeakCheck check;
  auto forgotten = make_chan<int>();
  goc::go([=] { forgotten.recv(); });
  auto leaked = check.leaks(std::chrono::milliseconds(100));
  REQUIRE(leaked.size() == 1);
  CHECK(leaked[0].state == "chan receive");
  CHECK(leaked[0].created_at.find("goroutine_test.cpp:") != std::string::npos);
  std::string text = goc::LeakCheck::describe(leaked);
  CHECK(text.rfind("found unexpected goroutines:", 0) == 0);
  forgotten.send(0);  // let it go, so later tests start clean
  CHECK(check.leaks().empty());
}

TEST_CASE("the leak check waits for goroutines that are about to finish") {
  goc::LeakCheck check;
  auto go_ahead = make_chan<goc::Empty>(1);
  goc::go([=] {
    go_ahead.recv();
    goc::sleep_for(std::chrono::milliseconds(30));
  });
  go_ahead.send({});
  CHECK(check.leaks().empty());
}

// A blocked goroutine spins at most about as long as parking would cost (at
// most 100 us, see Parker), then sleeps: 100 goroutines blocked for a second
// use a few milliseconds of CPU between them, far below 5% of one core.
TEST_CASE("goroutines blocked for a second use almost no CPU") {
  constexpr int kBlocked = 100;
  auto cpu_seconds = [] {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  };
  auto release = make_chan<goc::Empty>();
  goc::WaitGroup started, finished;
  started.add(kBlocked);
  finished.add(kBlocked);
  for (int i = 0; i < kBlocked; ++i)
    goc::go([=, &started, &finished] {
      started.done();
      release.recv();  // blocks until the close below
      finished.done();
    });
  started.wait();  // all of them are running and about to block
  double cpu_before = cpu_seconds();
  auto wall_before = std::chrono::steady_clock::now();
  goc::sleep_for(std::chrono::seconds(1));
  double cpu = cpu_seconds() - cpu_before;
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_before).count();
  release.close();
  finished.wait();
  INFO("CPU " << cpu * 1e3 << " ms during " << wall * 1e3 << " ms blocked");
  CHECK(cpu < 0.05 * wall);
}
