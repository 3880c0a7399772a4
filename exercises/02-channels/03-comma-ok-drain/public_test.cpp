// Public tests for 02-channels/03-comma-ok-drain.
#include "goc/testing/catch.hpp"

#include <vector>

#include <goc/goc.hpp>

#include "drain.hpp"

namespace {

// A goroutine sends `values` on `ch`, then closes it.
void send_then_close(goc::Channel<int> ch, std::vector<int> values) {
  goc::go([ch, values] {
    for (int v : values) ch.send(v);
    ch.close();
  });
}

}  // namespace

TEST_CASE("drain counts and sums every value until the channel is closed") {
  auto ch = goc::make_chan<int>();
  send_then_close(ch, {4, 5, 6});
  DrainReport report = drain(ch);
  REQUIRE(report.values == 3);
  REQUIRE(report.sum == 15);
}

TEST_CASE("a sent 0 is counted as a value, not taken for the end") {
  auto ch = goc::make_chan<int>();
  send_then_close(ch, {0, 9, 0});
  DrainReport report = drain(ch);
  REQUIRE(report.values == 3);
  REQUIRE(report.sum == 9);
}
