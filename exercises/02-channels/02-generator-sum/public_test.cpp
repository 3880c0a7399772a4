// Public tests for 02-channels/02-generator-sum.
#include "goc/testing/catch.hpp"

#include <vector>

#include <goc/goc.hpp>

#include "generator.hpp"

TEST_CASE("generate returns an unbuffered channel on which values first to last-1 come in order, then a close") {
  auto values = generate(3, 8);
  REQUIRE(values.cap() == 0);  // the contract: unbuffered, filled by a goroutine as values are taken
  std::vector<int> received;
  for (int v : values) received.push_back(v);
  REQUIRE(received == std::vector<int>{3, 4, 5, 6, 7});
}

TEST_CASE("sum_all adds every value, zeros included, until the channel is closed") {
  auto ch = goc::make_chan<int>();
  goc::go([ch] {
    for (int v : {5, 0, -2, 10}) ch.send(v);  // a 0 is a value like any other
    ch.close();
  });
  REQUIRE(sum_all(ch) == 13);
}

TEST_CASE("the sum of generate(1, 101) is 5050") {
  REQUIRE(sum_all(generate(1, 101)) == 5050);
}
