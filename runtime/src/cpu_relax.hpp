// Busy-waiting: a processor hint for spin loops, and the bounded "spin, then
// yield" wait the runtime does before it puts a thread to sleep on a futex.
// Internal to runtime/src.
//
// Why wait at all before sleeping: a waiting thread (main, a std::thread, a
// goroutine under ThreadSanitizer) is an OS thread, and sleeping
// then being woken costs two system calls and several microseconds of wake-up
// latency, while the other side of a channel or lock, when it runs on another
// core, usually acts within a microsecond. Why bound it: a wait that is really
// long, or more runnable threads than cores, must end in a sleep.
#pragma once

#include <chrono>
#include <cstdint>
#include <thread>

namespace goc::detail {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

/// How long one wait may last before the caller sleeps: `relaxes` pause
/// instructions (about 30 ns each on current x86), then `yields` calls to
/// sched_yield (each returns at once when nobody else wants the core, and
/// otherwise lets them run: maybe the very thread being waited for).
struct SpinBudget {
  int relaxes;
  int yields;
};

/// Waits briefly for `ready()` to turn true without sleeping: spins on the
/// core first, then yields the core a few times.
/// Returns ready()'s last answer; when false the caller goes to sleep.
template <class Ready>
bool spin_briefly(SpinBudget budget, Ready ready) {
  bool done = false;
  for (int i = 0; i < budget.relaxes && !(done = ready()); ++i) cpu_relax();
  for (int i = 0; i < budget.yields && !done; ++i) {
    std::this_thread::yield();
    done = ready();
  }
  return done || ready();
}

inline std::int64_t now_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// After this long a timed wait stops spinning on the core and yields it
/// between looks, so that a partner that needs this very core (more runnable
/// threads than cores) can run, while one on another core is still noticed
/// within a yield.
constexpr std::int64_t kPureSpinNs = 4'000;

/// Waits up to about `limit_ns` nanoseconds for `ready()` without sleeping:
/// a few looks first without reading the clock (most waits end there), then
/// spinning, then (past kPureSpinNs) yielding between looks. Returns ready()'s
/// last answer; when false the caller goes to sleep.
template <class Ready>
bool spin_for(std::int64_t limit_ns, Ready ready) {
  if (limit_ns <= 0) return ready();
  for (int i = 0; i < 8; ++i) {
    if (ready()) return true;
    cpu_relax();
  }
  const std::int64_t start = now_ns();
  for (std::int64_t waited = 0; waited < limit_ns; waited = now_ns() - start) {
    for (int i = 0; i < 16; ++i) {
      if (ready()) return true;
      cpu_relax();
    }
    if (waited >= kPureSpinNs) {
      std::this_thread::yield();
      if (ready()) return true;
    }
  }
  return ready();
}

}  // namespace goc::detail
