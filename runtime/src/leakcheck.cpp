// LeakCheck: wait with back-off for new goroutines to finish, then name them.
#include "goc/leakcheck.hpp"

#include <algorithm>
#include <thread>

#include "goc/detail/schedule.hpp"
#include "goc/time.hpp"

namespace goc {

// In a scheduled run (goc/detail/schedule.hpp) the wait is on the virtual
// clock and gives up the turn, so that the goroutines it waits for can run.
std::vector<GoroutineInfo> LeakCheck::leaks(std::chrono::milliseconds patience) const {
  const bool scheduled = detail::schedule_on();
  auto now = [&] { return scheduled ? detail::schedule_now() : std::chrono::steady_clock::now(); };
  auto deadline = now() + patience;
  auto pause = std::chrono::microseconds(100);
  for (;;) {
    std::vector<GoroutineInfo> all = goroutines();
    std::erase_if(all, [&](const GoroutineInfo& g) { return g.id < first_id_; });
    if (all.empty() || now() >= deadline) return all;
    if (scheduled)
      sleep_for(pause);
    else
      std::this_thread::sleep_for(pause);
    pause = std::min<std::chrono::microseconds>(pause * 2, std::chrono::milliseconds(50));
  }
}

std::string LeakCheck::describe(const std::vector<GoroutineInfo>& leaked) {
  if (leaked.empty()) return "";
  return "found unexpected goroutines:\n" + format_goroutines(leaked);
}

}  // namespace goc
