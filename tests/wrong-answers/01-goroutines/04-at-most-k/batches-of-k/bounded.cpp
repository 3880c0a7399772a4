// WRONG: starts k goroutines, waits for all of them, starts k more: the slowest item of each batch idles the other k-1.
#include "bounded.hpp"

#include <algorithm>
#include <cstddef>

#include <goc/goc.hpp>

void process_all(const std::vector<int>& items, int k, const std::function<void(int)>& process) {
  for (std::size_t start = 0; start < items.size(); start += static_cast<std::size_t>(k)) {
    std::size_t end = std::min(items.size(), start + static_cast<std::size_t>(k));
    goc::WaitGroup wg;
    wg.add(static_cast<std::int64_t>(end - start));
    for (std::size_t i = start; i < end; ++i) {
      goc::go([&process, &wg, item = items[i]] {
        process(item);
        wg.done();
      });
    }
    wg.wait();
  }
}
