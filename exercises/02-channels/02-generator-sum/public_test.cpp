// Public tests for 02-channels/02-generator-sum.
#include "goc/testing/catch.hpp"

#include <vector>

#include <goc/goc.hpp>

#include "generator.hpp"

TEST_CASE("generate sends first to last-1 in order and then closes") {
  std::vector<int> received;
  for (int v : generate(3, 8)) received.push_back(v);
  REQUIRE(received == std::vector<int>{3, 4, 5, 6, 7});
}

TEST_CASE("sum_all adds every value until the channel is closed") {
  auto ch = goc::make_chan<int>();
  goc::go([ch] {
    for (int v : {5, -2, 10}) ch.send(v);
    ch.close();
  });
  REQUIRE(sum_all(ch) == 13);
}

TEST_CASE("the sum of generate(1, 101) is 5050") {
  REQUIRE(sum_all(generate(1, 101)) == 5050);
}
