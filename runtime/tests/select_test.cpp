// select: readiness, default, nil cases, fairness, timeouts, cleanup, panics.
#include <string>
#include <vector>

#include "goc/goc.hpp"
#include "goc/testing/catch.hpp"
#include "test_support.hpp"

using namespace std::chrono_literals;
using goc::make_chan;

TEST_CASE("select runs default only when no case is ready") {
  auto ch = make_chan<int>(1);
  bool ran_default = false;
  CHECK(goc::select(goc::recv_case(ch), goc::default_case([&] { ran_default = true; })) == 1);
  CHECK(ran_default);
  ch.send(3);
  int got = 0;
  ran_default = false;
  CHECK(goc::select(goc::recv_case(ch, [&](int v) { got = v; }),
                    goc::default_case([&] { ran_default = true; })) == 0);
  CHECK(got == 3);
  CHECK_FALSE(ran_default);
}

TEST_CASE("a receive case on a closed channel is ready and reports ok false") {
  auto ch = make_chan<int>();
  ch.close();
  bool ok = true;
  int v = -1;
  CHECK(goc::select(goc::recv_case(ch, [&](int x, bool k) { v = x; ok = k; }),
                    goc::default_case()) == 0);
  CHECK(v == 0);
  CHECK_FALSE(ok);
}

TEST_CASE("a send case delivers its value to a parked receiver") {
  auto ch = make_chan<std::string>();
  auto got = make_chan<std::string>(1);
  auto id = next_id();
  goc::go([=] { got.send(ch.recv()); });
  REQUIRE(wait_for_state(id, "chan receive"));
  bool sent = false;
  CHECK(goc::select(goc::send_case(ch, "hi", [&] { sent = true; })) == 0);
  CHECK(sent);
  CHECK(got.recv() == "hi");
}

TEST_CASE("a blocked select is woken by the first channel that becomes ready") {
  auto a = make_chan<int>();
  auto b = make_chan<int>();
  auto chosen = make_chan<int>(1);
  auto id = next_id();
  goc::go([=] {
    int which = goc::select(goc::recv_case(a), goc::recv_case(b));
    chosen.send(which);
  });
  REQUIRE(wait_for_state(id, "select"));
  b.send(1);
  CHECK(chosen.recv() == 1);
}

TEST_CASE("nil channel cases are never chosen") {
  goc::Channel<int> nil;
  auto ready = make_chan<int>(1);
  for (int i = 0; i < 200; ++i) {
    ready.send(i);
    CHECK(goc::select(goc::recv_case(nil), goc::send_case(nil, 1), goc::recv_case(ready)) == 2);
  }
  CHECK(goc::select(goc::recv_case(nil), goc::default_case()) == 1);
}

TEST_CASE("among ready cases select chooses uniformly at random") {
  auto a = make_chan<int>(1);
  auto b = make_chan<int>(1);
  constexpr int kRounds = 10000;
  int chose_a = 0;
  for (int i = 0; i < kRounds; ++i) {
    a.send(1);
    b.send(2);
    // Both are ready; whichever is not chosen is drained afterwards.
    int which = goc::select(goc::recv_case(a), goc::recv_case(b));
    if (which == 0) {
      ++chose_a;
      b.recv();
    } else {
      a.recv();
    }
  }
  INFO("case 0 chosen " << chose_a << " of " << kRounds);
  CHECK(chose_a >= kRounds * 40 / 100);
  CHECK(chose_a <= kRounds * 60 / 100);
}

TEST_CASE("time_after makes a select give up waiting") {
  auto never = make_chan<int>();
  auto start = goc::Clock::now();
  int which = goc::select(goc::recv_case(never), goc::recv_case(goc::time_after(30ms)));
  CHECK(which == 1);
  CHECK(goc::Clock::now() - start >= 30ms);
}

TEST_CASE("time_after delivers once, at least the duration after the call") {
  auto start = goc::Clock::now();
  auto t = goc::time_after(20ms);
  CHECK(t.cap() == 1);
  auto fired = t.recv();
  CHECK(fired - start >= 20ms);
  CHECK(goc::select(goc::recv_case(t), goc::default_case()) == 1);  // nothing more
}

TEST_CASE("sleep_for pauses for at least the duration") {
  auto start = goc::Clock::now();
  goc::sleep_for(15ms);
  CHECK(goc::Clock::now() - start >= 15ms);
}

TEST_CASE("now() is the real steady clock in a normal run and moves forward by a sleep") {
  auto before_real = goc::Clock::now();
  auto start = goc::now();
  goc::sleep_for(15ms);
  auto end = goc::now();
  CHECK(start >= before_real);
  CHECK(end - start >= 15ms);
  CHECK(end <= goc::Clock::now());
}

TEST_CASE("a ready send case on a closed channel panics") {
  auto ch = make_chan<int>(1);
  ch.close();
  REQUIRE_THROWS_WITH(goc::select(goc::send_case(ch, 1), goc::default_case()),
                      "send on closed channel");
}

TEST_CASE("a select parked on a send case panics when that channel closes") {
  auto ch = make_chan<int>();
  auto outcome = make_chan<std::string>(1);
  auto id = next_id();
  goc::go([=] {
    try {
      goc::select(goc::send_case(ch, 1), goc::recv_case(goc::Channel<int>()));
      outcome.send("sent");
    } catch (const goc::Panic& p) {
      outcome.send(p.what());
    }
  });
  REQUIRE(wait_for_state(id, "select"));
  ch.close();
  CHECK(outcome.recv() == "send on closed channel");
}

TEST_CASE("a select never pairs its own send with its own receive") {
  auto ch = make_chan<int>();
  // Nothing else uses ch, so neither case may proceed: only the timer can.
  int which = goc::select(goc::send_case(ch, 1), goc::recv_case(ch),
                          goc::recv_case(goc::time_after(20ms)));
  CHECK(which == 2);
  CHECK(goc::select(goc::send_case(ch, 1), goc::recv_case(ch), goc::default_case()) == 2);
}

TEST_CASE("a blocked select leaves no waiter behind on the channels it did not take") {
  auto quiet = make_chan<int>();
  auto busy = make_chan<int>();
  auto finished = make_chan<goc::Empty>();
  goc::go([=] {
    for (int i = 0; i < 500; ++i) goc::select(goc::recv_case(quiet), goc::recv_case(busy));
    finished.send({});
  });
  for (int i = 0; i < 500; ++i) busy.send(i);
  finished.recv();
  // Go's select dequeues its losing waiters; so must ours.
  std::lock_guard lock(quiet.core()->mu_);
  CHECK(quiet.core()->recvq_.empty());
}

TEST_CASE("select with only a default never blocks, and select with handlers runs exactly one") {
  int runs = 0;
  auto a = make_chan<int>(1);
  auto b = make_chan<int>(1);
  a.send(1);
  b.send(2);
  goc::select(goc::recv_case(a, [&] { ++runs; }), goc::recv_case(b, [&] { ++runs; }),
              goc::default_case([&] { ++runs; }));
  CHECK(runs == 1);
  CHECK(a.len() + b.len() == 1);
  CHECK(goc::select(goc::default_case()) == 0);
}

TEST_CASE("a select over more cases than fit on its stack works the same") {
  std::vector<goc::Channel<int>> chans;
  for (int i = 0; i < 20; ++i) chans.push_back(make_chan<int>(1));
  chans[13].send(13);
  int got = -1;
  // Twenty cases, built as one select call.
  auto c = [&](int i) { return goc::recv_case(chans[static_cast<std::size_t>(i)], [&](int v) { got = v; }); };
  int which = goc::select(c(0), c(1), c(2), c(3), c(4), c(5), c(6), c(7), c(8), c(9), c(10), c(11),
                          c(12), c(13), c(14), c(15), c(16), c(17), c(18), c(19));
  CHECK(which == 13);
  CHECK(got == 13);
  // And when it has to block on all twenty.
  auto main_id = goc::goroutine_id();
  goc::go([=] {
    wait_for_state(main_id, "select");
    chans[17].send(17);
  });
  which = goc::select(c(0), c(1), c(2), c(3), c(4), c(5), c(6), c(7), c(8), c(9), c(10), c(11),
                      c(12), c(13), c(14), c(15), c(16), c(17), c(18), c(19));
  CHECK(which == 17);
  CHECK(got == 17);
}
