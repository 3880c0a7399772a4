// Many goroutines hammering send, receive, select and close: no value lost or
// duplicated, no hang. Sized to stay quick under ThreadSanitizer.
#include <algorithm>
#include <atomic>
#include <vector>

#include "goc/goc.hpp"
#include "goc/testing/catch.hpp"

using goc::make_chan;

namespace {
#ifdef GOC_TSAN_BUILD
constexpr int kScale = 1;
#else
constexpr int kScale = 4;
#endif
}  // namespace

TEST_CASE("many senders and receivers on one channel lose and duplicate nothing") {
  for (std::size_t cap : {std::size_t{0}, std::size_t{1}, std::size_t{16}}) {
    auto ch = make_chan<int>(cap);
    constexpr int kSenders = 6, kReceivers = 6;
    const int per_sender = 500 * kScale;
    auto collected = make_chan<std::vector<int>>(kReceivers);
    for (int r = 0; r < kReceivers; ++r)
      goc::go([=] {
        std::vector<int> got;
        for (int v : ch) got.push_back(v);
        collected.send(std::move(got));
      });
    goc::WaitGroup senders;
    for (int s = 0; s < kSenders; ++s) {
      senders.add(1);
      goc::go([&senders, ch, s, per_sender] {
        for (int i = 0; i < per_sender; ++i) ch.send(s * per_sender + i);
        senders.done();
      });
    }
    senders.wait();
    ch.close();
    std::vector<int> all;
    for (int r = 0; r < kReceivers; ++r) {
      auto part = collected.recv();
      all.insert(all.end(), part.begin(), part.end());
    }
    std::sort(all.begin(), all.end());
    INFO("capacity " << cap);
    REQUIRE(all.size() == static_cast<std::size_t>(kSenders * per_sender));
    for (std::size_t i = 0; i < all.size(); ++i) REQUIRE(all[i] == static_cast<int>(i));
  }
}

TEST_CASE("selects competing for values on shared channels deliver each value exactly once") {
  auto a = make_chan<int>();
  auto b = make_chan<int>(4);
  auto stop = make_chan<goc::Empty>();
  const int per_channel = 800 * kScale;
  auto counts = make_chan<long>(4);
  for (int r = 0; r < 4; ++r)
    goc::go([=] {
      long sum = 0;
      for (bool running = true; running;) {
        goc::select(goc::recv_case(a, [&](int v) { sum += v; }),
                    goc::recv_case(b, [&](int v) { sum += v; }),
                    goc::recv_case(stop, [&] { running = false; }));
      }
      counts.send(sum);
    });
  goc::WaitGroup senders;
  for (auto ch : {a, b}) {
    senders.add(1);
    goc::go([&senders, ch, per_channel] {
      for (int i = 1; i <= per_channel; ++i) ch.send(i);
      senders.done();
    });
  }
  senders.wait();
  // b is buffered: a receiver may still be about to take its last values;
  // stop only after b is drained so nothing is lost.
  while (b.len() > 0) goc::select(goc::recv_case(goc::time_after(std::chrono::milliseconds(1))));
  stop.close();
  long total = 0;
  for (int r = 0; r < 4; ++r) total += counts.recv();
  long expected = 2L * per_channel * (per_channel + 1) / 2;
  CHECK(total == expected);
}

TEST_CASE("selects that mix sends and receives on the same channels neither lose nor invent values") {
  // Each worker either sends its next value or receives one, whichever is
  // ready; totals must balance.
  auto ch = make_chan<int>(2);
  constexpr int kWorkers = 6;
  const int rounds = 300 * kScale;
  auto sent_sums = make_chan<long>(kWorkers);
  auto recv_sums = make_chan<long>(kWorkers);
  goc::WaitGroup wg;
  for (int w = 0; w < kWorkers; ++w) {
    wg.add(1);
    goc::go([=, &wg] {
      long sent = 0, received = 0;
      for (int i = 1; i <= rounds; ++i) {
        goc::select(goc::send_case(ch, i, [&] { sent += i; }),
                    goc::recv_case(ch, [&](int v) { received += v; }));
      }
      sent_sums.send(sent);
      recv_sums.send(received);
      wg.done();
    });
  }
  wg.wait();
  long sent = 0, received = 0;
  for (int w = 0; w < kWorkers; ++w) {
    sent += sent_sums.recv();
    received += recv_sums.recv();
  }
  ch.close();
  for (int v : ch) received += v;  // what was left in the buffer
  CHECK(sent == received);
}

TEST_CASE("closing while many goroutines send and receive wakes all of them") {
  for (int round = 0; round < 10 * kScale; ++round) {
    auto ch = make_chan<int>(round % 3);
    std::atomic<int> panicked{0};
    goc::WaitGroup wg;
    for (int g = 0; g < 8; ++g) {
      wg.add(1);
      goc::go([&, g] {
        try {
          if (g % 2 == 0) {
            for (;;) ch.send(g);
          } else {
            for ([[maybe_unused]] int v : ch) {
            }
          }
        } catch (const goc::Panic&) {
          panicked.fetch_add(1);
        }
        wg.done();
      });
    }
    ch.close();
    wg.wait();  // a goroutine left blocked would hang here (and the deadlock detector fire)
    CHECK(panicked.load() == 4);
  }
}

TEST_CASE("many short goroutines with a WaitGroup all finish") {
  goc::WaitGroup wg;
  std::atomic<int> ran{0};
  // Below the fan-out guard's default limit (2000 live) even if none of them
  // has run yet when the last starts: go() is fast enough for that to happen.
  const int n = 450 * kScale;
  for (int i = 0; i < n; ++i) {
    wg.add(1);
    goc::go([&] {
      ran.fetch_add(1, std::memory_order_relaxed);
      wg.done();
    });
  }
  wg.wait();
  CHECK(ran.load() == n);
}
