// goc/goroutine.hpp: starting goroutines, and looking at the ones alive.
//
// Deadlock detection: when every live goroutine (main included) is blocked in
// a runtime call (channel, select, WaitGroup, Mutex) and no timer is pending,
// the runtime prints `fatal error: all goroutines are asleep - deadlock!` and
// a dump of every goroutine, then exits with status 2, as Go does. A goroutine
// blocked or busy outside the runtime (a sleep, I/O, a std::mutex) counts as
// running, so it never causes a false report. A thread started without go()
// (a std::thread) is counted from its first blocking runtime call on; before
// that the runtime cannot see it, so start concurrent work with go().
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include "goc/detail/source_location.hpp"
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "goc/detail/sched.hpp"

namespace goc {

/// Starts `f(args...)` on a new goroutine and returns at once.
///
/// The goroutine runs concurrently with its caller, on a stack of its own
/// that the runtime's threads (one per core) take turns running: when a
/// goroutine blocks, its thread switches to another runnable goroutine, and a
/// goroutine made runnable usually runs next on the thread that woke it, as
/// in Go. Main is a goroutine too: from its first wait on, it may go on on
/// another of the runtime's threads. Nobody joins it: wait for it with a
/// WaitGroup or a channel. When main returns the program ends and every
/// goroutine with it, as in Go. Arguments are copied (or moved) into the
/// goroutine before go() returns, like Go evaluates a go statement's arguments
/// in the caller; capture by value (`[=]`) for the same reason.
///
/// Panics: an exception escaping `f` ends the program like a Go panic:
/// `panic: <what()>`, the goroutine's id and the file:line of the go() call,
/// exit status 2. go() itself throws goc::Panic when the live goroutine count
/// would pass max_goroutines() (the fan-out guard: use a bounded worker pool).
///
/// Memory ordering: everything before go() happens before `f` starts.
///
/// Go equivalent: `go f(args...)`.
/// Differences from Go: a stack does not grow: it is 1 MiB (mapped as it is
/// used), and under ThreadSanitizer each goroutine is an OS thread of its own
/// (about 1.2 MiB of stack), so that the race detector sees goroutines as
/// threads (the environment variable GOC_GOROUTINES=threads does the same in
/// any build). Goroutines are not preempted: one that loops without a runtime
/// call keeps its thread (the others move to other threads), and one that
/// blocks in a call the runtime cannot see (std::this_thread::sleep_for, a
/// std::mutex, I/O) holds its thread until the call returns, while the
/// runtime starts another thread for the rest. A goroutine (main included)
/// may move between threads when it blocks, so thread_local variables and
/// std::this_thread::get_id() are not per goroutine. Up to 5 arguments are taken,
/// capture more in a lambda.
///
///     goc::go([=] { results.send(work(42)); });
///     goc::go(worker, jobs, results);
template <class F>
void go(F&& f, SourceLocation where = SourceLocation::current()) {
  detail::spawn(detail::Task(std::forward<F>(f)), where);
}

/// @cond GOC_OVERLOADS
// One overload per argument count: a default source_location cannot follow a
// parameter pack, and the call site is what makes panics and dumps readable.
template <class F, class A1>
void go(F&& f, A1&& a1, SourceLocation where = SourceLocation::current()) {
  detail::spawn(detail::Task([f = std::forward<F>(f), a1 = std::forward<A1>(a1)]() mutable {
                  std::invoke(f, std::move(a1));
                }),
                where);
}
template <class F, class A1, class A2>
void go(F&& f, A1&& a1, A2&& a2, SourceLocation where = SourceLocation::current()) {
  detail::spawn(detail::Task([f = std::forward<F>(f), a1 = std::forward<A1>(a1),
                              a2 = std::forward<A2>(a2)]() mutable {
                  std::invoke(f, std::move(a1), std::move(a2));
                }),
                where);
}
template <class F, class A1, class A2, class A3>
void go(F&& f, A1&& a1, A2&& a2, A3&& a3,
        SourceLocation where = SourceLocation::current()) {
  detail::spawn(detail::Task([f = std::forward<F>(f), a1 = std::forward<A1>(a1),
                              a2 = std::forward<A2>(a2), a3 = std::forward<A3>(a3)]() mutable {
                  std::invoke(f, std::move(a1), std::move(a2), std::move(a3));
                }),
                where);
}
template <class F, class A1, class A2, class A3, class A4>
void go(F&& f, A1&& a1, A2&& a2, A3&& a3, A4&& a4,
        SourceLocation where = SourceLocation::current()) {
  detail::spawn(detail::Task([f = std::forward<F>(f), a1 = std::forward<A1>(a1),
                              a2 = std::forward<A2>(a2), a3 = std::forward<A3>(a3),
                              a4 = std::forward<A4>(a4)]() mutable {
                  std::invoke(f, std::move(a1), std::move(a2), std::move(a3), std::move(a4));
                }),
                where);
}
template <class F, class A1, class A2, class A3, class A4, class A5>
void go(F&& f, A1&& a1, A2&& a2, A3&& a3, A4&& a4, A5&& a5,
        SourceLocation where = SourceLocation::current()) {
  detail::spawn(detail::Task([f = std::forward<F>(f), a1 = std::forward<A1>(a1),
                              a2 = std::forward<A2>(a2), a3 = std::forward<A3>(a3),
                              a4 = std::forward<A4>(a4), a5 = std::forward<A5>(a5)]() mutable {
                  std::invoke(f, std::move(a1), std::move(a2), std::move(a3), std::move(a4),
                              std::move(a5));
                }),
                where);
}
/// @endcond

/// Lets other goroutines run before the caller goes on: the calling goroutine
/// stays runnable and continues when its thread, or another, takes it again.
///
/// It never blocks. In a free run its thread first runs the goroutines already
/// waiting for it (meanwhile dumps and traces show the caller "runnable"),
/// and the caller goes on at once when none is waiting; a
/// thread not started with go(), and every goroutine under ThreadSanitizer or
/// GOC_GOROUTINES=threads, yields its core instead (std::this_thread::yield).
/// In a seeded schedule (GOC_SCHEDULE) it is a scheduling point like any
/// other runtime operation: the seed picks who runs next, the caller included.
/// That is what makes it useful in exercises: a pause between the read and
/// the write of an unguarded `total = total + 1` lets the schedule run another
/// goroutine there, so a lost update shows on every run with that seed
/// instead of once in a while.
///
/// Memory ordering: none is promised. The goroutines it lets run may or may
/// not see what the caller wrote before it: share data through a channel, a
/// Mutex or an atomic, never through a yield().
///
/// Go equivalent: `runtime.Gosched()`.
/// Differences from Go: Go puts the caller on the global run queue, where any
/// thread may take it; here it goes to the back of its own thread's queue,
/// from where idle threads may take it too.
///
///     mu.lock();
///     long seen = total;
///     goc::yield();  // others may run here; they wait for mu
///     total = seen + 1;
///     mu.unlock();
void yield(SourceLocation where = SourceLocation::current());

/// A snapshot of one goroutine, as the dump prints it.
struct GoroutineInfo {
  std::uint64_t id;        ///< 1 is main; ids are never reused.
  std::string state;       ///< Go's words: "running", "chan receive", "select", ...
  std::string created_at;  ///< file:line of the go() call ("main" for goroutine 1).
  std::string blocked_at;  ///< file:line of the blocking call, empty when running.
};

/// Number of live goroutines, main included. Go: `runtime.NumGoroutine()`.
std::size_t num_goroutine() noexcept;

/// Highest num_goroutine() since the program started or reset_peak_goroutines().
/// Exercises use it to check that a program never had more than K workers.
std::size_t peak_goroutines() noexcept;

/// Starts a new peak measurement from the current live count.
void reset_peak_goroutines() noexcept;

/// The fan-out guard's limit: go() panics rather than pass it. The default
/// (2000, or the GOC_MAX_GOROUTINES environment variable) is roomy for ordinary
/// programs and below the ~8000 threads ThreadSanitizer can track.
std::size_t max_goroutines() noexcept;
/// Sets the fan-out guard's limit (see max_goroutines()); tests lower it to provoke the guard.
void set_max_goroutines(std::size_t limit) noexcept;

/// Every live goroutine, ordered by id. Go: the dump of `runtime.Stack(buf, true)`.
std::vector<GoroutineInfo> goroutines();

/// The id the next go() will get; goroutines with an id at or above it were
/// started after this call (the leak check uses it).
std::uint64_t next_goroutine_id() noexcept;

/// The calling goroutine's id (1 for main).
std::uint64_t goroutine_id();

/// Formats goroutines as Go's dump does: `goroutine 7 [chan send]:` and two
/// indented lines, where it is blocked and where it was created.
std::string format_goroutines(const std::vector<GoroutineInfo>& gs);

}  // namespace goc
