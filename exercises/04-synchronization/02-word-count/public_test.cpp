// Public tests for 04-sync/02-word-count.
#include "goc/testing/catch.hpp"

#include <map>
#include <string>
#include <vector>

#include <goc/goc.hpp>

#include "wordcount.hpp"

TEST_CASE("words of several texts are counted together") {
  auto counts = count_words({"the cat sat", "the dog", "a cat  and\tthe\nhat"});
  REQUIRE(counts == std::map<std::string, int>{
                        {"the", 3}, {"cat", 2}, {"sat", 1}, {"dog", 1}, {"a", 1}, {"and", 1}, {"hat", 1}});
}

TEST_CASE("64 texts repeating the same words count every occurrence") {
  std::string text;
  for (int i = 0; i < 500; ++i) text += "go chan select ";
  auto counts = count_words(std::vector<std::string>(64, text));
  REQUIRE(counts == std::map<std::string, int>{{"go", 32000}, {"chan", 32000}, {"select", 32000}});
}
