// WRONG: each goroutine locks its own mutex, which excludes no one: the shared map is still updated concurrently.
// CAUGHT BY: race
#include "wordcount.hpp"

#include <mutex>
#include <sstream>

#include <goc/goc.hpp>

std::map<std::string, int> count_words(const std::vector<std::string>& texts) {
  std::map<std::string, int> counts;
  goc::WaitGroup wg;
  for (const std::string& text : texts) {
    wg.add(1);
    goc::go([&counts, &wg, &text] {
      goc::Mutex mu;
      std::istringstream words(text);
      std::string word;
      while (words >> word) {
        std::lock_guard guard(mu);
        ++counts[word];
      }
      wg.done();
    });
  }
  wg.wait();
  return counts;
}
