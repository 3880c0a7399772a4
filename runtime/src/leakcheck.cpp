// LeakCheck: wait with back-off for new goroutines to finish, then name them.
#include "goc/leakcheck.hpp"

#include <algorithm>
#include <thread>

namespace goc {

std::vector<GoroutineInfo> LeakCheck::leaks(std::chrono::milliseconds patience) const {
  auto deadline = std::chrono::steady_clock::now() + patience;
  auto pause = std::chrono::microseconds(100);
  for (;;) {
    std::vector<GoroutineInfo> all = goroutines();
    std::erase_if(all, [&](const GoroutineInfo& g) { return g.id < first_id_; });
    if (all.empty() || std::chrono::steady_clock::now() >= deadline) return all;
    std::this_thread::sleep_for(pause);
    pause = std::min<std::chrono::microseconds>(pause * 2, std::chrono::milliseconds(50));
  }
}

std::string LeakCheck::describe(const std::vector<GoroutineInfo>& leaked) {
  if (leaked.empty()) return "";
  return "found unexpected goroutines:\n" + format_goroutines(leaked);
}

}  // namespace goc
