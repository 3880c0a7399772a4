// WRONG: the lock covers finding the map entry but not the increment, so two goroutines still update one count at once.
// CAUGHT BY: race
#include "wordcount.hpp"

#include <mutex>
#include <sstream>

#include <goc/goc.hpp>

std::map<std::string, int> count_words(const std::vector<std::string>& texts) {
  std::map<std::string, int> counts;
  goc::Mutex mu;
  goc::WaitGroup wg;
  for (const std::string& text : texts) {
    wg.add(1);
    goc::go([&counts, &mu, &wg, &text] {
      std::istringstream words(text);
      std::string word;
      while (words >> word) {
        int* count;
        {
          std::lock_guard guard(mu);
          count = &counts[word];
        }
        ++*count;
      }
      wg.done();
    });
  }
  wg.wait();
  return counts;
}
