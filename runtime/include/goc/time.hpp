// goc/time.hpp: timers, Go's time.After and time.Sleep.
#pragma once

#include <chrono>
#include "goc/detail/source_location.hpp"

#include "goc/channel.hpp"

namespace goc {

/// The clock timers use, and the value a timer channel delivers.
using Clock = std::chrono::steady_clock;

/// Returns a receive-only channel that delivers the current time once, at
/// least `d` after the call. Use it as a select case to give up waiting.
///
/// Blocking: never blocks; receiving from the channel blocks until the timer
/// fires. The channel has capacity 1, so the timer never waits for a reader,
/// and it is never closed.
///
/// A pending timer counts as activity: while one is pending, the deadlock
/// detector does not fire (as in Go).
///
/// Memory ordering: the call happens before the value is delivered.
///
/// Go equivalent: `time.After(d)`.
/// Differences from Go: one runtime thread serves all timers; there is no
/// Stop(), so a timer lives until it fires.
///
///     goc::select(
///         goc::recv_case(results, [&](int r) { use(r); }),
///         goc::recv_case(goc::time_after(500ms), [&] { std::puts("timed out"); }));
RecvChan<Clock::time_point> time_after(Clock::duration d,
                                       SourceLocation where = SourceLocation::current());

/// Returns the current time on the clock that timers and sleep_for() use:
/// the real steady clock in a normal run, and the virtual clock in a
/// scheduled run (GOC_SCHEDULE, see goc/detail/schedule.hpp), where time
/// stands still while any goroutine can run and jumps to the next timer when
/// none can. Measure elapsed time around goroutines with it, not with
/// Clock::now(): then a sleep of an hour takes an hour of virtual time but
/// no real time, and the measurement agrees with what the program waited.
///
/// Blocking: never blocks. Any thread may call it. Two calls from the same
/// thread never go backwards (the clock is monotonic in both modes).
///
/// Memory ordering: none; it only reads a clock.
///
/// Go equivalent: `time.Now()` (monotonic reading), which under
/// `testing/synctest` also reads a fake clock.
/// Differences from Go: it returns a steady_clock time_point, not a wall
/// clock time, and the fake clock is chosen by GOC_SCHEDULE rather than by a
/// test bubble.
///
///     auto start = goc::now();
///     goc::sleep_for(1h);                  // no real wait under a schedule
///     assert(goc::now() - start >= 1h);
Clock::time_point now();

/// Pauses the calling goroutine for at least `d`. Go: `time.Sleep(d)`.
/// Shown as `sleep` in goroutine dumps, and counts as activity for the
/// deadlock detector. Use it to simulate work, never to wait for a goroutine.
void sleep_for(Clock::duration d, SourceLocation where = SourceLocation::current());

}  // namespace goc
