// Hidden tests for 02-channels/02-generator-sum: empty and negative ranges,
// zeros, a long stream, an unbuffered channel, values left in a buffer.
#include "goc/testing/catch.hpp"

#include <random>
#include <vector>

#include <goc/goc.hpp>

#include "generator.hpp"

TEST_CASE("an empty range closes at once without sending") {
  auto values = generate(5, 5);
  auto [v, ok] = values.recv_ok();
  REQUIRE_FALSE(ok);
  REQUIRE(sum_all(generate(10, 2)) == 0);
}

TEST_CASE("generate returns an unbuffered channel and sends lazily on a goroutine") {
  goc::reset_peak_goroutines();
  std::size_t before = goc::num_goroutine();
  auto values = generate(0, 3);
  REQUIRE(values.cap() == 0);
  REQUIRE(goc::peak_goroutines() > before);  // a generator goroutine exists
  std::vector<int> received;
  for (int v : values) received.push_back(v);
  REQUIRE(received == std::vector<int>{0, 1, 2});
}

TEST_CASE("a range across zero is summed completely") {
  REQUIRE(sum_all(generate(-3, 4)) == 0);  // -3..3 cancels out
  REQUIRE(sum_all(generate(-3, 5)) == 4);
}

TEST_CASE("sum_all counts zeros as values and does not stop at them") {
  auto ch = goc::make_chan<int>();
  goc::go([ch] {
    for (int v : {0, 0, 7, 0, 1}) ch.send(v);
    ch.close();
  });
  REQUIRE(sum_all(ch) == 8);
}

TEST_CASE("sum_all takes the values still buffered in a closed channel") {
  auto ch = goc::make_chan<int>(4);
  for (int v : {1, 2, 3, 4}) ch.send(v);
  ch.close();
  REQUIRE(sum_all(ch) == 10);
}

TEST_CASE("sum_all of a closed empty channel is 0") {
  auto ch = goc::make_chan<int>();
  ch.close();
  REQUIRE(sum_all(ch) == 0);
}

TEST_CASE("a stream of 20000 values is summed exactly") {
  // -5000..14999: the sum of 0..14999 minus the sum of 1..5000.
  REQUIRE(sum_all(generate(-5000, 15000)) == 14999L * 15000 / 2 - 5000L * 5001 / 2);
}

TEST_CASE("random streams from a producer goroutine are summed exactly") {
  std::mt19937 rng(7);
  for (int round = 0; round < 20; ++round) {
    std::vector<int> values(std::uniform_int_distribution<int>(0, 200)(rng));
    long expected = 0;
    for (int& v : values) expected += (v = std::uniform_int_distribution<int>(-3, 3)(rng));
    auto ch = goc::make_chan<int>(round % 3);
    goc::go([ch, values] {
      for (int v : values) ch.send(v);
      ch.close();
    });
    INFO("round " << round);
    REQUIRE(sum_all(ch) == expected);
  }
}
