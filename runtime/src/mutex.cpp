// Mutex: an atomic word for the fast path, a FIFO of parked goroutines for
// the slow path. Unlock wakes one waiter, which competes again for the lock.
#include "goc/mutex.hpp"

#include <optional>
#include <thread>

#include "goc/detail/sched.hpp"
#include "cpu_relax.hpp"
#include "tsan.hpp"

namespace goc {

struct Mutex::Waiter {
  detail::Parker parker;
  Waiter* next = nullptr;
};

// Takes the lock if it is free, setting `bits` (kLocked, or kTracedLock for
// a traced hold) beside the waiter count.
bool Mutex::try_acquire(std::uint32_t bits) noexcept {
  std::uint32_t s = state_.load(std::memory_order_relaxed);
  while (!(s & kHeld)) {
    if (state_.compare_exchange_weak(s, s | bits, std::memory_order_acquire,
                                     std::memory_order_relaxed))
      return true;
  }
  return false;
}

// lock() with a schedule or a trace on: the schedule's turn first; with the
// trace, the hold is kTracedLock, so that unlock() records its own event,
// and its Lock is recorded once held (numbered by the holder: the flush
// orders a mutex's events by their numbers, see detail::trace_mutex).
void Mutex::lock_hooked(const SourceLocation& where, std::uint8_t h) {
  if (h & detail::kHookSchedule) detail::schedule_point("Mutex.Lock", where);
  const bool traced = (h & detail::kHookTrace) != 0;
  const std::uint32_t bits = traced ? kTracedLock : kLocked;
  std::uint32_t expected = 0;
  if (!state_.compare_exchange_weak(expected, bits, std::memory_order_acquire,
                                    std::memory_order_relaxed))
    lock_slow(where, bits);
  if (traced)
    detail::trace_mutex(false, detail::trace_object_id(trace_id_, "mu"), ++trace_seq_,
                        where);
}

void Mutex::lock_slow(const SourceLocation& where, std::uint32_t bits) {
  for (;;) {
    // Spin a little: the holder usually leaves the critical section soon.
    for (int i = 0; i < 64; ++i) {
      if (try_acquire(bits)) return;
      detail::cpu_relax();
    }
    if (try_acquire(bits)) return;
    std::optional<Waiter> me;  // made under the lock: bookkeeping (see tsan.hpp)
    {
      detail::tsan::BlindLock guard(mu_);
      // Announce ourselves, then look once more: an unlock() that runs after
      // the announcement takes mu_ and finds us in the queue.
      std::uint32_t s = state_.fetch_add(kWaiter, std::memory_order_relaxed) + kWaiter;
      while (!(s & kHeld)) {
        if (state_.compare_exchange_weak(s, (s - kWaiter) | bits, std::memory_order_acquire,
                                         std::memory_order_relaxed))
          return;
      }
      me.emplace();
      if (tail_) tail_->next = &*me; else head_ = &*me;
      tail_ = &*me;
      detail::set_blocked_state(detail::GState::mutex_lock, where);
      detail::park_begin();
    }
    me->parker.park();  // unlock_slow() removed us and took back our announcement
    detail::set_running_state();
  }
}

// unlock() when its one step did not apply: `seen` is the state it found,
// which it left unchanged: not locked (a fatal error), a traced hold, or
// goroutines queued.
void Mutex::unlock_slow(std::uint32_t seen, const SourceLocation& where) {
  if (!(seen & kHeld)) detail::fatal("sync: unlock of unlocked mutex");
  if (!(seen & kTracedLock)) {
    wake_first_waiter(state_.fetch_sub(kLocked, std::memory_order_release));
    return;
  }
  // The event's number is taken while held, so that it comes before the
  // next Lock's; the id too, as once released the mutex may be locked,
  // unlocked and destroyed.
  const std::uint64_t seq = ++trace_seq_;
  const std::uint32_t id = detail::trace_object_id(trace_id_, "mu");
  const std::uint32_t was = state_.fetch_sub(kTracedLock, std::memory_order_release);
  // Recorded after the release: the event's writing is no longer inside
  // the critical section that the other goroutines wait for.
  detail::trace_mutex(true, id, seq, where);
  wake_first_waiter(was);
}

// After an unlock's release, whose state before was `was`: wakes the first
// goroutine queued, if any.
void Mutex::wake_first_waiter(std::uint32_t was) {
  if (was < kWaiter) return;
  Waiter* w;
  {
    detail::tsan::BlindLock guard(mu_);
    w = head_;
    if (w) {
      head_ = w->next;
      if (!head_) tail_ = nullptr;
      state_.fetch_sub(kWaiter, std::memory_order_relaxed);
      detail::unpark_count();
    }
  }
  if (w) w->parker.wake();
}

}  // namespace goc
