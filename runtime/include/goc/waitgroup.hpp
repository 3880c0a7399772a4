// goc/waitgroup.hpp: waiting for a collection of goroutines to finish.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include "goc/detail/source_location.hpp"

#include "goc/detail/sched.hpp"
#include "goc/detail/source_location.hpp"

namespace goc {

/// Waits for a collection of goroutines to finish: Go's `sync.WaitGroup`.
///
/// The parent calls add(n) before starting n goroutines (never inside them:
/// the parent might reach wait() first), each goroutine calls done() when it
/// finishes, and the parent calls wait().
///
/// Blocking: wait() blocks until the counter is zero; it returns at once when
/// the counter already is zero. done() that brings the counter to zero wakes
/// every waiter. add() and done() never block. A waiting wait() spins (then
/// yields) for about what a wake-up costs on this machine before it sleeps
/// (Parker, goc/detail/sched.hpp).
///
/// Panics: `sync: negative WaitGroup counter` when done() (or add with a
/// negative delta) takes the counter below zero.
///
/// Memory ordering: each done() happens before the wait() that it unblocks
/// returns (ThreadSanitizer sees it).
///
/// Lifetime: it is safe to destroy the WaitGroup as soon as the last wait()
/// has returned, even while the done() that released it is still returning,
/// so a WaitGroup on the parent's stack is the normal use. It is reusable:
/// new add() calls may start once every wait() has returned. Not copyable or
/// movable, like Go's (which must not be copied after first use).
///
/// Go equivalent: `var wg sync.WaitGroup; wg.Add(n); go func() { defer wg.Done() }(); wg.Wait()`.
/// Differences from Go: misuse detection for reuse-before-wait-returned is
/// not implemented.
///
///     goc::WaitGroup wg;
///     for (int i = 0; i < 3; ++i) {
///       wg.add(1);
///       goc::go([&wg, i] { work(i); wg.done(); });
///     }
///     wg.wait();
class WaitGroup {
 public:
  WaitGroup() = default;
  WaitGroup(const WaitGroup&) = delete;
  WaitGroup& operator=(const WaitGroup&) = delete;

  /// Adds `delta` (possibly negative) to the counter. Go: `wg.Add(delta)`.
  void add(std::int64_t delta, SourceLocation where = SourceLocation::current()) {
    change(delta, where, "WaitGroup.Add");
  }
  /// Decrements the counter by one. Go: `wg.Done()`.
  void done(SourceLocation where = SourceLocation::current()) {
    change(-1, where, "WaitGroup.Done");
  }
  /// Blocks until the counter is zero. Go: `wg.Wait()`.
  void wait(SourceLocation where = SourceLocation::current());

 private:
  struct Waiter;
  // add() and done(); `what` names the operation in a trace.
  void change(std::int64_t delta, const SourceLocation& where, const char* what);
  void change_traced(std::int64_t delta, const SourceLocation& where, const char* what);
  void move_counter(std::int64_t delta, std::uint64_t traced_at);
  void release_waiters(std::uint64_t traced_at);
  void wait_until_zero(const SourceLocation& where);
  // High 32 bits: the counter; low 32 bits: goroutines waiting. One word, so
  // the done() that reaches zero knows in the same step whether anyone waits
  // and touches nothing else when nobody does.
  std::atomic<std::uint64_t> state_{0};
  std::mutex mu_;               // guards waiters_
  Waiter* waiters_ = nullptr;
  std::atomic<std::uint32_t> trace_id_{0};  // the N of "wgN" in a trace, 0 until traced
};

}  // namespace goc
