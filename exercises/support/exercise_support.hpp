// exercise_support.hpp: small helpers the exercises' tests share.
//
// Tests include it as "exercise_support.hpp"; students never need to.
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include <goc/goc.hpp>

namespace goc_ex {

#if defined(__SANITIZE_THREAD__)
inline constexpr bool under_tsan = true;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
inline constexpr bool under_tsan = true;
#else
inline constexpr bool under_tsan = false;
#endif
#else
inline constexpr bool under_tsan = false;
#endif

/// A time limit stretched for ThreadSanitizer builds, which run 5-15x slower.
/// Use it for "must finish within" bounds, never for "must not finish before".
inline std::chrono::milliseconds generous(std::chrono::milliseconds plain_limit) {
  return under_tsan ? plain_limit * 10 : plain_limit;
}

/// True when the program runs under a seeded schedule (GOC_SCHEDULE, see
/// goc/detail/schedule.hpp): time is then virtual, so a sleep of an hour
/// costs no real time, and a test can give a job a duration that no fixed
/// guess in the code under test covers.
inline bool time_is_virtual() { return goc::detail::schedule_on(); }

/// Elapsed time of `f()` on goc's clock (goc::now()): real time in a normal
/// run, virtual time under a schedule (GOC_SCHEDULE), where only sleeps and
/// timers move the clock.
template <class F>
std::chrono::milliseconds time_of(F&& f) {
  auto start = goc::now();
  std::forward<F>(f)();
  return std::chrono::duration_cast<std::chrono::milliseconds>(goc::now() - start);
}

/// Runs `f()` on a goroutine and waits for it at most `limit`. When it does not
/// return in time, prints which call hung and every goroutine's state, then
/// ends the test program with exit status 1: a hung student function must
/// fail its test, not hang the grader (and a blocked `f` may still hold
/// references into the test's stack, so the test cannot simply go on).
template <class F>
void finish_within(std::chrono::milliseconds limit, const char* what, F&& f) {
  auto finished = goc::make_chan<goc::Empty>(1);
  goc::go([&f, finished] {
    f();
    finished.send(goc::Empty{});
  });
  bool in_time = false;
  goc::select(goc::recv_case(finished, [&] { in_time = true; }),
              goc::recv_case(goc::time_after(limit), [] {}));
  if (!in_time) {
    std::fprintf(stderr,
                 "\nFAILED: %s did not return within %lld ms; the goroutines at that moment:\n%s\n",
                 what, static_cast<long long>(limit.count()),
                 goc::format_goroutines(goc::goroutines()).c_str());
    std::fflush(stderr);
    std::_Exit(1);
  }
}

}  // namespace goc_ex

#include <ctime>

namespace goc_ex {

/// CPU time the whole process has used so far. A goroutine that spins
/// (a busy loop) burns CPU while it "waits"; a blocked one burns none.
inline std::chrono::milliseconds process_cpu_time() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return std::chrono::milliseconds(static_cast<long long>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000);
}

}  // namespace goc_ex

#include <string_view>

namespace goc_ex {

/// Goroutines started by a go() call in a file whose path ends with `file`
/// (pass __FILE__) that are blocked right now (in any state but running or
/// runnable: a channel operation, select, lock, WaitGroup, sleep).
inline std::size_t blocked_goroutines_from(std::string_view file) {
  std::string_view name = file.substr(file.find_last_of('/') + 1);
  std::size_t blocked = 0;
  for (const auto& g : goc::goroutines()) {
    if (g.state == "running" || g.state == "runnable") continue;
    std::string_view created = g.created_at;
    if (created.find(name) != std::string_view::npos) ++blocked;
  }
  return blocked;
}

/// Waits (polling every millisecond) until at least `n` goroutines started
/// from `file` are blocked; false if that has not happened within `limit`.
/// Tests use it to know that callers are parked before releasing them, and
/// to catch callers that busy-wait instead of blocking.
inline bool wait_until_blocked(std::size_t n, std::chrono::milliseconds limit,
                               std::string_view file) {
  auto deadline = goc::now() + limit;
  while (blocked_goroutines_from(file) < n) {
    if (goc::now() >= deadline) return false;
    goc::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

}  // namespace goc_ex
