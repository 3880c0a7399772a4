// Hidden tests for 04-sync/01-parallel-sum: remainders, more parts than
// numbers, negative numbers, random sizes, repetition.
#include "goc/testing/catch.hpp"

#include <numeric>
#include <random>
#include <vector>

#include <goc/goc.hpp>

#include "sum.hpp"

TEST_CASE("a size that parts does not divide is summed completely") {
  std::vector<int> numbers(10, 1);
  REQUIRE(parallel_sum(numbers, 3) == 10);
  REQUIRE(parallel_sum(numbers, 4) == 10);
}

TEST_CASE("more parts than numbers, and no numbers at all") {
  REQUIRE(parallel_sum({5, 6}, 8) == 11);
  REQUIRE(parallel_sum({}, 3) == 0);
}

TEST_CASE("one part is the plain sum") {
  REQUIRE(parallel_sum({-4, 9, -5, 1}, 1) == 1);
}

TEST_CASE("random inputs and part counts match std::accumulate, 40 times") {
  std::mt19937 rng(4242);
  for (int round = 0; round < 40; ++round) {
    std::vector<int> numbers(std::uniform_int_distribution<int>(0, 5000)(rng));
    for (int& n : numbers) n = std::uniform_int_distribution<int>(-1000000, 1000000)(rng);
    int parts = std::uniform_int_distribution<int>(1, 16)(rng);
    INFO("round " << round << ": " << numbers.size() << " numbers, " << parts << " parts");
    REQUIRE(parallel_sum(numbers, parts) == std::accumulate(numbers.begin(), numbers.end(), 0L));
  }
}

TEST_CASE("large values do not overflow an int") {
  std::vector<int> numbers(1000, 2000000000);
  REQUIRE(parallel_sum(numbers, 7) == 2000000000000L);
}
