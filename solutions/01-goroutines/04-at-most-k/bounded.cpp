// Reference solution for 01-goroutines/04-at-most-k.
#include "bounded.hpp"

#include <algorithm>
#include <cstddef>

#include <goc/goc.hpp>

void process_all(const std::vector<int>& items, int k, const std::function<void(int)>& process) {
  // Exactly min(k, items.size()) workers exist, from start to finish: never
  // more than k goroutines, however many items there are.
  const std::size_t workers = std::min(static_cast<std::size_t>(k), items.size());
  // The next item nobody has taken yet, shared by the workers: a worker that
  // finishes early takes the next item at once instead of idling.
  std::size_t next = 0;
  goc::Mutex mu;
  goc::WaitGroup wg;
  wg.add(static_cast<std::int64_t>(workers));
  for (std::size_t w = 0; w < workers; ++w) {
    goc::go([&] {
      for (;;) {
        std::size_t mine;
        {
          std::lock_guard guard(mu);  // taking an index is a read-modify-write
          if (next == items.size()) break;
          mine = next++;
        }
        process(items[mine]);  // outside the lock: the calls run in parallel
      }
      wg.done();
    });
  }
  // Everything the workers use lives in this frame, which stays alive until
  // every worker has called done().
  wg.wait();
}
