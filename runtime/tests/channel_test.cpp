// Channel<T>: each operation against each state of the channel.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <memory>
#include <string>
#include <vector>

#include "goc/goc.hpp"
#include "goc/testing/catch.hpp"
#include "test_support.hpp"

using goc::Channel;
using goc::make_chan;

namespace {
template <class C> concept CanSend = requires(C c) { c.send(1); };
template <class C> concept CanRecv = requires(C c) { c.recv(); };
template <class C> concept CanClose = requires(C c) { c.close(); };
}  // namespace

TEST_CASE("a receive-only view cannot send or close, and a send-only view cannot receive") {
  STATIC_REQUIRE(CanSend<Channel<int>>);
  STATIC_REQUIRE(CanRecv<Channel<int>>);
  STATIC_REQUIRE(CanClose<Channel<int>>);
  STATIC_REQUIRE_FALSE(CanSend<goc::RecvChan<int>>);
  STATIC_REQUIRE_FALSE(CanClose<goc::RecvChan<int>>);
  STATIC_REQUIRE(CanRecv<goc::RecvChan<int>>);
  STATIC_REQUIRE(CanSend<goc::SendChan<int>>);
  STATIC_REQUIRE(CanClose<goc::SendChan<int>>);
  STATIC_REQUIRE_FALSE(CanRecv<goc::SendChan<int>>);
}

TEST_CASE("copies of a channel are the same channel") {
  auto a = make_chan<int>(1);
  Channel<int> b = a;
  goc::SendChan<int> s = a;
  goc::RecvChan<int> r = b;
  s.send(5);
  CHECK(a.len() == 1);
  CHECK(r.recv() == 5);
  CHECK(a == b);
  CHECK_FALSE(a == make_chan<int>(1));
}

TEST_CASE("an unbuffered send blocks until a receiver takes the value") {
  auto ch = make_chan<int>();
  auto finished = make_chan<goc::Empty>();
  std::atomic<bool> sent{false};
  auto id = next_id();
  goc::go([=, &sent] {
    ch.send(42);
    sent = true;
    finished.send({});
  });
  REQUIRE(wait_for_state(id, "chan send"));
  CHECK_FALSE(sent.load());
  CHECK(ch.recv() == 42);
  finished.recv();
  CHECK(sent.load());
}

TEST_CASE("an unbuffered receive blocks until a sender offers a value") {
  auto ch = make_chan<std::string>();
  auto got = make_chan<std::string>(1);
  auto id = next_id();
  goc::go([=] { got.send(ch.recv()); });
  REQUIRE(wait_for_state(id, "chan receive"));
  CHECK(got.len() == 0);
  ch.send("hello");
  CHECK(got.recv() == "hello");
}

TEST_CASE("a buffered channel of capacity N holds exactly N values") {
  auto ch = make_chan<int>(3);
  CHECK(ch.cap() == 3);
  for (int i = 0; i < 3; ++i) {
    CHECK(goc::select(goc::send_case(ch, i), goc::default_case()) == 0);
    CHECK(ch.len() == static_cast<std::size_t>(i + 1));
  }
  CHECK(goc::select(goc::send_case(ch, 99), goc::default_case()) == 1);  // full
  CHECK(ch.len() == 3);
}

TEST_CASE("values come out of a buffered channel in the order they went in") {
  auto ch = make_chan<int>(100);
  for (int i = 0; i < 100; ++i) ch.send(i);
  for (int i = 0; i < 100; ++i) CHECK(ch.recv() == i);
}

TEST_CASE("parked senders are served in FIFO order after the buffer") {
  auto ch = make_chan<int>(1);
  ch.send(0);
  std::vector<std::uint64_t> ids;
  for (int i = 1; i <= 3; ++i) {
    auto id = next_id();
    goc::go([=] { ch.send(i); });
    REQUIRE(wait_for_state(id, "chan send"));  // park them one after another
  }
  for (int i = 0; i <= 3; ++i) CHECK(ch.recv() == i);
}

TEST_CASE("receive from a closed channel drains buffered values, then gives zero and false forever") {
  auto ch = make_chan<int>(2);
  ch.send(1);
  ch.send(2);
  ch.close();
  CHECK(ch.recv_ok() == std::pair{1, true});
  CHECK(ch.recv_ok() == std::pair{2, true});
  for (int i = 0; i < 3; ++i) CHECK(ch.recv_ok() == std::pair{0, false});
  CHECK(ch.recv() == 0);
  CHECK(ch.len() == 0);
  CHECK(ch.cap() == 2);
}

TEST_CASE("range over a channel stops when it is closed and drained, with no extra iteration") {
  auto ch = make_chan<int>();
  goc::go([=] {
    for (int i = 1; i <= 5; ++i) ch.send(i);
    ch.close();
  });
  std::vector<int> got;
  for (int v : ch) got.push_back(v);
  CHECK(got == std::vector<int>{1, 2, 3, 4, 5});
}

TEST_CASE("range over a receive-only view works like range over the channel") {
  auto ch = make_chan<int>(3);
  ch.send(7);
  ch.send(8);
  ch.close();
  goc::RecvChan<int> r = ch;
  int sum = 0, n = 0;
  for (int v : r) {
    sum += v;
    ++n;
  }
  CHECK(n == 2);
  CHECK(sum == 15);
}

TEST_CASE("send on a closed channel panics") {
  auto ch = make_chan<int>(1);
  ch.close();
  REQUIRE_THROWS_AS(ch.send(1), goc::Panic);
  REQUIRE_THROWS_WITH(ch.send(1), "send on closed channel");
}

TEST_CASE("close of a closed channel panics") {
  auto ch = make_chan<int>();
  ch.close();
  REQUIRE_THROWS_WITH(ch.close(), "close of closed channel");
}

TEST_CASE("close of a nil channel panics") {
  Channel<int> nil;
  CHECK(nil.is_nil());
  REQUIRE_THROWS_WITH(nil.close(), "close of nil channel");
  CHECK(nil.len() == 0);
  CHECK(nil.cap() == 0);
}

TEST_CASE("a sender parked when the channel closes panics") {
  auto ch = make_chan<int>();
  auto outcome = make_chan<std::string>(1);
  auto id = next_id();
  goc::go([=] {
    try {
      ch.send(1);
      outcome.send("sent");
    } catch (const goc::Panic& p) {
      outcome.send(p.what());
    }
  });
  REQUIRE(wait_for_state(id, "chan send"));
  ch.close();
  CHECK(outcome.recv() == "send on closed channel");
}

TEST_CASE("close wakes every parked receiver with zero and false") {
  auto ch = make_chan<int>();
  auto results = make_chan<std::pair<int, bool>>(3);
  for (int i = 0; i < 3; ++i) {
    auto id = next_id();
    goc::go([=] { results.send(ch.recv_ok()); });
    REQUIRE(wait_for_state(id, "chan receive"));
  }
  ch.close();
  for (int i = 0; i < 3; ++i) CHECK(results.recv() == std::pair{0, false});
}

TEST_CASE("send and receive on a nil channel block forever", "[leaks-ok]") {
  Channel<int> nil;
  auto s = next_id();
  goc::go([=] { nil.send(1); });
  auto r = next_id();
  goc::go([=] { nil.recv(); });
  CHECK(wait_for_state(s, "chan send (nil chan)"));
  CHECK(wait_for_state(r, "chan receive (nil chan)"));
}

TEST_CASE("a channel carries move-only values") {
  auto ch = make_chan<std::unique_ptr<int>>();
  goc::go([=] { ch.send(std::make_unique<int>(9)); });
  auto p = ch.recv();
  REQUIRE(p);
  CHECK(*p == 9);
  auto buffered = make_chan<std::unique_ptr<int>>(2);
  buffered.send(std::make_unique<int>(1));
  buffered.close();
  for (auto q : buffered) CHECK(*q == 1);
  CHECK(buffered.recv() == nullptr);  // zero value once drained
}

TEST_CASE("a channel of Empty carries pure signals, like chan struct{}") {
  auto done = make_chan<goc::Empty>();
  auto finished = make_chan<goc::Empty>(1);
  goc::go([=] {
    done.recv();
    finished.send({});
  });
  done.send({});
  finished.recv();
  done.close();
  auto [v, ok] = done.recv_ok();
  CHECK_FALSE(ok);
  CHECK(v == goc::Empty{});
}

TEST_CASE("a value sent is received exactly once across many receivers") {
  auto ch = make_chan<int>(8);
  auto sums = make_chan<long>(4);
  for (int r = 0; r < 4; ++r)
    goc::go([=] {
      long s = 0;
      for (int v : ch) s += v;
      sums.send(s);
    });
  long expected = 0;
  for (int i = 1; i <= 2000; ++i) {
    ch.send(i);
    expected += i;
  }
  ch.close();
  long total = 0;
  for (int r = 0; r < 4; ++r) total += sums.recv();
  CHECK(total == expected);
}

TEST_CASE("a buffered channel of bool works like any other element type") {
  auto ch = make_chan<bool>(2);
  ch.send(true);
  ch.send(false);
  CHECK(ch.recv() == true);
  CHECK(ch.recv() == false);
  ch.close();
  CHECK(ch.recv_ok() == std::pair{false, false});
}

// Go's len(ch) is the number of values queued in the buffer. A receive that
// meets a full buffer with a parked sender takes the head and puts the
// sender's value in the freed slot: the buffer never holds fewer than its
// capacity, so len() must never say so.
//
// Rounds: the receiver waits until all 48 senders are inside their send and
// parked in the channel's queue (each counts itself as "entered" before it
// calls send, and shows "chan send" once it has joined the queue), then
// receives 47 values, each of which frees one parked sender. At every one of
// those receives a sender is still queued, so the buffer is full throughout,
// while a watcher goroutine reads len() as fast as it can.
TEST_CASE("len of a full buffer with parked senders never dips below the capacity while receives go on") {
  constexpr int kSenders = 48, kCap = 4, kPerRound = 47;
#ifdef GOC_TSAN_BUILD
  constexpr int kRounds = 20;
#else
  constexpr int kRounds = 60;
#endif
  auto ch = make_chan<int>(kCap);
  auto watched = make_chan<std::pair<long, long>>(1);  // {reads, dips}
  std::atomic<long> entered{0};
  std::atomic<bool> quit{false};
  goc::WaitGroup senders;
  std::vector<std::uint64_t> ids;
  senders.add(kSenders);
  for (int s = 0; s < kSenders; ++s) {
    ids.push_back(next_id());
    goc::go([=, &entered, &quit, &senders] {
      while (!quit.load()) {
        entered.fetch_add(1);
        ch.send(s);
      }
      senders.done();
    });
  }
  auto all_parked = [&](long received) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (;;) {
      if (entered.load() == received + kCap + kSenders) {
        int queued = 0;
        for (const auto& g : goc::goroutines())
          queued += std::count(ids.begin(), ids.end(), g.id) && g.state == "chan send";
        if (queued == kSenders) return true;
      }
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::yield();
    }
  };
  REQUIRE(all_parked(0));
  // The watcher reads len() without pause during each round's receives, and
  // sleeps in between so that the senders get the cores to park again.
  auto go_ahead = make_chan<int>();  // the round about to start
  auto reading = make_chan<goc::Empty>();
  std::atomic<int> rounds_done{0};
  goc::go([=, &rounds_done] {
    long reads = 0, dips = 0;
    for (int round : go_ahead) {
      reading.send({});
      do {
        for (int i = 0; i < 256; ++i)
          if (ch.len() != kCap) ++dips;
        reads += 256;
      } while (rounds_done.load() <= round);
    }
    watched.send({reads, dips});
  });
  long received = 0;
  for (int round = 0; round < kRounds; ++round) {
    REQUIRE(all_parked(received));
    go_ahead.send(round);
    reading.recv();  // the watcher is reading now
    for (int i = 0; i < kPerRound; ++i, ++received) ch.recv();
    rounds_done = round + 1;
  }
  go_ahead.close();
  auto [reads, dips] = watched.recv();
  // Let the senders go: each finishes after its current send is taken.
  quit = true;
  goc::go([=] {
    for ([[maybe_unused]] int v : ch) {
    }
  });
  senders.wait();
  ch.close();
  // How many reads fall within the receives depends on the machine's load,
  // so it is reported, not asserted: on the receive that popped and then
  // pushed, this test saw 467-880 dips in every run.
  INFO(reads << " reads of len() during " << received << " receives");
  CHECK(dips == 0);
}
