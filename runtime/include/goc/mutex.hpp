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
/// Tracing (goc/detail/trace.hpp): a hold whose lock() ran while recording
/// records its Lock and its Unlock; a hold that began before records neither.
///
/// Go equivalent: `var mu sync.Mutex; mu.Lock(); defer mu.Unlock()`.
/// Differences from Go: no starvation mode (a waiter may lose to newcomers
/// repeatedly under heavy contention); lock() spins briefly on the mutex
/// before it queues (four looks, as Go's does, but 120 pauses apart where
/// Go's are 30: the lock then changes cores less often; not under a seeded
/// schedule, where the holder cannot run while it looks), and once
/// queued spins (then yields) for about what a wake-up costs on this machine
/// before it sleeps (Parker, goc/detail/sched.hpp).
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
      lock_slow(where, kLocked);
  }
  /// Go: `mu.TryLock()`.
  bool try_lock() noexcept { return try_acquire(kLocked); }
  /// Go: `mu.Unlock()`.
  void unlock(SourceLocation where = SourceLocation::current()) {
    // Tracing on: the hold may be traced, whose release is one step of its
    // own (a failing compare-and-swap would cost as much as a second one).
    if (detail::hooks() & detail::kHookTrace) [[unlikely]] {
      unlock_traced(where);
      return;
    }
    // One step when the hold was not traced and nobody is queued. Otherwise
    // (a hold traced before the trace stopped, goroutines queued, or not
    // locked) the state is left as it was, for unlock_slow to release in
    // one step of its own.
    std::uint32_t seen = kLocked;
    if (!state_.compare_exchange_strong(seen, 0, std::memory_order_release,
                                        std::memory_order_relaxed))
      unlock_slow(seen, where);
  }

 private:
  struct Waiter;
  bool try_acquire(std::uint32_t bits) noexcept;
  void lock_slow(SourceLocation where, std::uint32_t bits);
  void lock_hooked(SourceLocation where, std::uint8_t h);
  void lock_traced_slow(SourceLocation where);
  void record_lock_the_long_way(SourceLocation where);
  std::uint64_t next_trace_seq(std::uint32_t* id);
  static bool hot_word(std::uint64_t word) noexcept {
    return static_cast<std::uint32_t>(word) != 0 && (word >> 32) != 0;
  }
  void lock_scheduled(SourceLocation where, std::uint8_t h);
  void unlock_traced(SourceLocation where);
  void record_unlock_and_wake(std::uint64_t word, SourceLocation where, std::uint32_t was);
  void unlock_slow(std::uint32_t seen, SourceLocation where);
  void wake_first_waiter(std::uint32_t was);

  // Bit 0: locked. Bit 1: locked, and the hold is traced (set instead of
  // bit 0 by a lock() that saw tracing on; its unlock goes through
  // unlock_slow, which records it). Bits 2..: the number of goroutines
  // parked in lock_slow.
  static constexpr std::uint32_t kLocked = 1, kTracedLock = 2, kHeld = kLocked | kTracedLock,
                                 kWaiter = 4;
  std::atomic<std::uint32_t> state_{0};
  std::atomic<std::uint32_t> trace_id_{0};  // the N of "muN" in a trace, 0 until traced
  // The number of the last traced Lock or Unlock, counted by the holder only:
  // the order of the mutex's events in a trace (see detail::trace_mutex).
  // Its low 32 bits are kept under the top half of the mutex's hot record
  // header (detail::mutex_hot_top: 0 until the first traced event, and for
  // good once the number needs more bits or the mutex's does not fit), so
  // that a traced Lock or Unlock counts and has its header in one step;
  // the high bits are in trace_epoch_.
  std::uint64_t trace_word_ = 0;
  std::uint32_t trace_epoch_ = 0;
  std::mutex mu_;  // guards the queue of parked goroutines
  Waiter* head_ = nullptr;
  Waiter* tail_ = nullptr;
};

}  // namespace goc
