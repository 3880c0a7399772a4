// Hidden tests for 02-channels/03-comma-ok-drain: slow senders, buffered
// leftovers, a closed empty channel, several drains sharing one channel.
#include "goc/testing/catch.hpp"

#include <chrono>
#include <memory>
#include <vector>

#include <goc/goc.hpp>

#include "drain.hpp"

using namespace std::chrono_literals;

TEST_CASE("a closed empty channel drains to nothing") {
  auto ch = goc::make_chan<int>(2);
  ch.close();
  DrainReport report = drain(ch);
  REQUIRE(report.values == 0);
  REQUIRE(report.sum == 0);
}

TEST_CASE("only zeros: each one counts") {
  auto ch = goc::make_chan<int>(5);
  for (int i = 0; i < 5; ++i) ch.send(0);
  ch.close();
  REQUIRE(drain(ch).values == 5);
}

TEST_CASE("values still buffered when the channel was closed are drained") {
  auto ch = goc::make_chan<int>(3);
  ch.send(1);
  ch.send(2);
  ch.send(3);
  ch.close();
  DrainReport report = drain(ch);
  REQUIRE(report.values == 3);
  REQUIRE(report.sum == 6);
}

TEST_CASE("drain waits for a slow sender instead of stopping when nothing is buffered") {
  auto ch = goc::make_chan<int>(4);
  goc::go([ch] {
    for (int v : {1, 0, 2}) {
      goc::sleep_for(20ms);  // the buffer is empty for a while, but not closed
      ch.send(v);
    }
    ch.close();
  });
  DrainReport report = drain(ch);
  REQUIRE(report.values == 3);
  REQUIRE(report.sum == 3);
}

TEST_CASE("three drains on one channel together receive every value exactly once") {
  auto ch = goc::make_chan<int>(8);
  auto reports = goc::make_chan<DrainReport>(3);
  for (int d = 0; d < 3; ++d) goc::go([ch, reports] { reports.send(drain(ch)); });
  long expected_sum = 0;
  for (int v = 0; v < 3000; ++v) {
    ch.send(v % 10);  // plenty of zeros
    expected_sum += v % 10;
  }
  ch.close();
  int values = 0;
  long sum = 0;
  for (int d = 0; d < 3; ++d) {
    DrainReport r = reports.recv();
    values += r.values;
    sum += r.sum;
  }
  REQUIRE(values == 3000);
  REQUIRE(sum == expected_sum);
}
