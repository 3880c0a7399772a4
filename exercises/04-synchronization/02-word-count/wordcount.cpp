// Exercise 04-sync/02-word-count: a mutex-protected word count.
//
// Task: complete count_words() (see wordcount.hpp). The goroutines all
// update one std::map with no protection: a data race that can lose counts
// or corrupt the map outright.
//
// The Go idea: Go maps are not safe for concurrent use, and neither is
// std::map. Guard every access with a sync.Mutex (goc::Mutex), reads as well
// as writes, and keep the critical section short: do the slow work (here,
// splitting the text) outside the lock.
#include "wordcount.hpp"

#include <sstream>

#include <goc/goc.hpp>

std::map<std::string, int> count_words(const std::vector<std::string>& texts) {
  std::map<std::string, int> counts;
  // TODO: add the mutex that protects `counts`.
  goc::WaitGroup wg;
  for (const std::string& text : texts) {
    wg.add(1);
    goc::go([&counts, &wg, &text] {
      std::istringstream words(text);
      std::string word;
      while (words >> word) {
        // TODO: this update must not overlap with any other goroutine's.
        ++counts[word];
      }
      wg.done();
    });
  }
  wg.wait();
  return counts;
}
