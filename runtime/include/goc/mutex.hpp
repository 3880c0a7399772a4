// goc/mutex.hpp: mutual exclusion, Go's sync.Mutex.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include "goc/detail/schedule.hpp"
#include "goc/detail/source_location.hpp"
#include "goc/detail/trace.hpp"

namespace goc {

/// A mutual exclusion lock: Go's `sync.Mutex`.
///
/// Blocking: lock() blocks while another goroutine holds the mutex; unlock()
/// wakes one blocked goroutine, which then competes for the lock again (a
/// running goroutine may take it first, as in Go's normal mode). try_lock()
/// never blocks. Works with std::lock_guard, std::scoped_lock and
/// std::unique_lock.
///
/// A locked Mutex belongs to no goroutine: one goroutine may lock it and
/// another unlock it, as in Go. (That is why it is not a std::mutex, whose
/// unlock from another thread is undefined behaviour.)
///
/// Fatal error: unlock() of an unlocked Mutex prints
/// `fatal error: sync: unlock of unlocked mutex` and exits with status 2. It
/// cannot be caught, as in Go.
///
/// Memory ordering: the n-th unlock() happens before the (n+1)-th lock()
/// returns.
///
/// Lifetime: may be destroyed once unlocked and no goroutine is blocked on it.
///
/// Go equivalent: `var mu sync.Mutex; mu.Lock(); defer mu.Unlock()`.
/// Differences from Go: no starvation mode (a waiter may lose to newcomers
/// repeatedly under heavy contention); lock() spins briefly on the mutex
/// before it queues, and once queued spins (then yields) for about what a
/// wake-up costs on this machine before it sleeps (Parker, goc/detail/sched.hpp).
///
///     goc::Mutex mu;
///     std::map<std::string, int> counts;
///     void add(const std::string& w) {
///       std::lock_guard guard(mu);   // Go: mu.Lock(); defer mu.Unlock()
///       ++counts[w];
///     }
class Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  /// Go: `mu.Lock()`.
  void lock(SourceLocation where = SourceLocation::current()) {
    // One test for both hooks (a schedule, a trace): off, the lock pays no more.
    if (const std::uint8_t h = detail::hooks()) [[unlikely]] {
      lock_hooked(where, h);
      return;
    }
    std::uint32_t expected = 0;
    if (!state_.compare_exchange_weak(expected, kLocked, std::memory_order_acquire,
                                      std::memory_order_relaxed))
      lock_slow(where);
  }
  /// Go: `mu.TryLock()`.
  bool try_lock() noexcept;
  /// Go: `mu.Unlock()`.
  void unlock(SourceLocation where = SourceLocation::current()) {
    // Recorded before the release, so that it is never later than the next lock.
    if (detail::trace_on())
      detail::trace_sync("Mutex.Unlock", trace_id_, "mu", where, &trace_floor_);
    std::uint32_t prev = state_.fetch_sub(kLocked, std::memory_order_release);
    if (prev != kLocked) unlock_slow(prev);
  }

 private:
  struct Waiter;
  void lock_slow(const SourceLocation& where);
  void lock_hooked(const SourceLocation& where, std::uint8_t h);
  void unlock_slow(std::uint32_t prev);

  // Bit 0: locked. Bits 1..: number of goroutines parked in lock_slow.
  static constexpr std::uint32_t kLocked = 1, kWaiter = 2;
  std::atomic<std::uint32_t> state_{0};
  std::mutex mu_;  // guards the queue of parked goroutines
  Waiter* head_ = nullptr;
  Waiter* tail_ = nullptr;
  std::atomic<std::uint32_t> trace_id_{0};  // the N of "muN" in a trace, 0 until traced
  // The trace time of the last Lock or Unlock, read and written by the holder
  // only: the next event's time is at least this (see detail::trace_sync).
  std::uint64_t trace_floor_ = 0;
};

}  // namespace goc
