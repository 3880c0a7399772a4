// Hidden tests for 04-sync/02-word-count: empty input, case and punctuation
// kept exact, many goroutines, random texts checked against a serial count.
#include "goc/testing/catch.hpp"

#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <goc/goc.hpp>

#include "wordcount.hpp"

namespace {

std::map<std::string, int> serial_count(const std::vector<std::string>& texts) {
  std::map<std::string, int> counts;
  for (const auto& text : texts) {
    std::istringstream words(text);
    std::string w;
    while (words >> w) ++counts[w];
  }
  return counts;
}

}  // namespace

TEST_CASE("no texts, or only blank ones, count nothing") {
  REQUIRE(count_words({}).empty());
  REQUIRE(count_words({"", "   ", "\n\t"}).empty());
}

TEST_CASE("words are compared exactly: case and punctuation matter") {
  auto counts = count_words({"Go go GO", "go, go."});
  REQUIRE(counts == std::map<std::string, int>{{"Go", 1}, {"go", 1}, {"GO", 1}, {"go,", 1}, {"go.", 1}});
}

TEST_CASE("200 goroutines with many distinct words match a serial count") {
  std::mt19937 rng(99);
  std::vector<std::string> texts(200);
  for (auto& text : texts) {
    int words = std::uniform_int_distribution<int>(0, 300)(rng);
    for (int i = 0; i < words; ++i)
      text += "w" + std::to_string(std::uniform_int_distribution<int>(0, 150)(rng)) + " ";
  }
  REQUIRE(count_words(texts) == serial_count(texts));
}

TEST_CASE("the same heavy input counts the same 10 times") {
  std::vector<std::string> texts(16, std::string(2000, 'x'));
  for (auto& t : texts)
    for (std::size_t i = 3; i < t.size(); i += 4) t[i] = ' ';  // "xxx xxx ..."
  auto expected = serial_count(texts);
  for (int run = 0; run < 10; ++run) {
    INFO("run " << run);
    REQUIRE(count_words(texts) == expected);
  }
}
