// goc/detail/schedule.hpp: seeded, replayable schedules with virtual time.
// Not part of the student-facing API: a program opts in with the environment
// variable GOC_SCHEDULE, read once at start-up:
//   random:SEED             every pick is uniform among the runnable goroutines;
//   pct:SEED:DEPTH[:STEPS]  PCT, probabilistic concurrency testing: goroutines
//                           get random priorities, the highest runnable runs,
//                           and at DEPTH - 1 random steps among the first STEPS
//                           (default 2000) the running goroutine drops to the
//                           lowest priority; it finds any bug that needs DEPTH
//                           ordering constraints with probability at least
//                           1 / (goroutines x STEPS^(DEPTH-1)) per run. After
//                           STEPS decisions picks are random, so that a loop
//                           polling with select-default cannot starve others.
//
// In a scheduled run goroutines take turns: exactly one goroutine started
// with go() (or main) runs at a time, and at every runtime operation (go,
// send, receive, close, select, WaitGroup, Mutex, sleep) a generator seeded
// with SEED picks who runs next among the goroutines that can run. The same
// seed and the same program give the same interleaving and the same output.
// Each goroutine has a stack of its own, but all run on main's thread: the
// turn passes by switching stacks (well under a microsecond, however busy the
// machine), so the goroutines of a scheduled run share thread_local variables,
// and goroutines started before main's first runtime call wait for it.
//
// Time is virtual in a scheduled run: the clock stands still while any
// goroutine can run, and when none can it jumps to the earliest pending timer
// (sleep_for, time_after), as Go's testing/synctest does. A deadlock is still
// reported when every goroutine is blocked and no timer is pending.
//
// What it cannot control it reports: a goroutine that keeps its turn for a
// second without a runtime call (a busy loop, std::this_thread::sleep_for, a
// std::mutex) ends the program with that goroutine's id and where it was
// started. Threads not started with go() run freely, as in a normal run.
//
// ThreadSanitizer: each goroutine is a fiber of its own for ThreadSanitizer,
// and switching fibers is declared to synchronise nothing, so taking turns
// orders nothing that Go's memory model leaves unordered and races are still
// seen.
//
// Differences from Go: Go has no seeded scheduler; testing/synctest gives the
// virtual clock (Go 1.25) but explores no interleavings.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "goc/detail/source_location.hpp"

namespace goc::detail {

class ChanBase;
class Parker;
class Task;
struct G;

/// Which optional machinery is on, one bit each: a seeded schedule (this
/// file) and the trace recorder (goc/detail/trace.hpp). One word, so that an
/// operation learns about both with one relaxed load: the whole cost of the
/// hooks when both are off. Read it once per operation with hooks() and test
/// the bits of the copy.
/// The word has a cache line of its own: read by every operation, written
/// only when a schedule or a trace starts or stops.
///
/// GOC_NO_TRACE_HOOKS (CMake: -DGOC_TRACE_HOOKS=OFF) compiles the trace's
/// hooks out, for bench/trace-off-cost.sh only: it measures what they cost
/// when off against a build without them. Such a build never records.
#ifdef GOC_NO_TRACE_HOOKS
inline constexpr std::uint8_t kHookSchedule = 1, kHookTrace = 0;
#else
inline constexpr std::uint8_t kHookSchedule = 1, kHookTrace = 2;
#endif
struct alignas(64) RuntimeHooks {
  std::atomic<std::uint8_t> bits{0};
};
extern RuntimeHooks runtime_hooks;
inline std::uint8_t hooks() noexcept {
  return runtime_hooks.bits.load(std::memory_order_relaxed);
}

/// True in a scheduled run. One relaxed load.
inline bool schedule_on() noexcept { return (hooks() & kHookSchedule) != 0; }

/// The API for tests: starts a seeded schedule in this process, as
/// GOC_SCHEDULE=spec does at start-up (e.g. schedule_start("pct:7:3")). Call
/// it from main before the first go(); there is no way back to a free run.
/// Returns false, with the reason in *error, when a schedule is already on,
/// goroutines other than main are running, or `spec` is malformed.
bool schedule_start(const std::string& spec, std::string* error = nullptr);

/// A runtime operation is about to happen: another goroutine may run first.
/// `chan` and `value` (the value a send is about to send), where given, name
/// the channel and the value in the schedule report's line for this decision.
void schedule_point(const char* what, const SourceLocation& where, const ChanBase* chan = nullptr,
                    const void* value = nullptr);

/// Parker's scheduled path. Each returns false when the calling thread is not
/// a scheduled goroutine (a thread not started with go()), which then parks
/// and wakes as usual.
bool schedule_park(Parker& p);
bool schedule_wake(Parker& p);

/// go() in a scheduled run: `g` will run `task` on a fiber of its own, on
/// main's thread, when its turn comes; false when no stack could be mapped.
/// The task's first call is schedule_begin() and its last schedule_exit(g),
/// which passes the turn on for good (g is deleted after its fiber is left).
bool schedule_spawn(G* g, Task task);
void schedule_begin();
[[noreturn]] void schedule_exit(G* g);


/// Virtual time: the scheduled clock, and timers on it.
std::chrono::steady_clock::time_point schedule_now();
/// Blocks the running goroutine for `d` of virtual time; false (at once) when
/// the caller is not a scheduled goroutine, which then sleeps in real time.
bool schedule_sleep(std::chrono::steady_clock::duration d);
/// Calls `fire` (from whichever goroutine's thread advances the clock) once
/// the virtual clock reaches now + d. `fire` must not block.
void schedule_timer(std::chrono::steady_clock::duration d, void (*fire)(void*), void* arg);

/// A number from the schedule's seeded generator, for the runtime's other
/// random choices (select among ready cases), so that they replay too.
std::uint64_t schedule_random();

/// How many scheduling decisions (turns passed) this run has made so far.
std::uint64_t schedule_decisions();

/// "schedule: GOC_SCHEDULE=<spec> (run again with it ...)" and the last
/// decisions, one per line, oldest first; empty when not scheduled.
std::string schedule_report();

}  // namespace goc::detail
