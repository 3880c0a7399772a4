// Reference solution for 04-sync/02-word-count.
#include "wordcount.hpp"

#include <mutex>
#include <sstream>

#include <goc/goc.hpp>

std::map<std::string, int> count_words(const std::vector<std::string>& texts) {
  std::map<std::string, int> counts;
  goc::Mutex mu;  // guards counts: every access below holds it
  goc::WaitGroup wg;
  for (const std::string& text : texts) {
    wg.add(1);
    goc::go([&counts, &mu, &wg, &text] {
      // Split and count this text privately: no lock needed for data no
      // other goroutine can see.
      std::map<std::string, int> local;
      std::istringstream words(text);
      std::string word;
      while (words >> word) ++local[word];
      // Then one short critical section merges it into the shared map. The
      // whole read-modify-write of each count (and any rebalancing of the
      // tree) happens under the lock.
      {
        std::lock_guard guard(mu);
        for (const auto& [w, n] : local) counts[w] += n;
      }
      wg.done();
    });
  }
  // Each goroutine unlocks before done(), and wait() returns after the last
  // done(), so reading counts here without the lock is safe.
  wg.wait();
  return counts;
}
