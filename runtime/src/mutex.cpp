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

bool Mutex::try_lock() noexcept {
  std::uint32_t s = state_.load(std::memory_order_relaxed);
  while (!(s & kLocked)) {
    if (state_.compare_exchange_weak(s, s | kLocked, std::memory_order_acquire,
                                     std::memory_order_relaxed))
      return true;
  }
  return false;
}

// lock() with a schedule or a trace on: the schedule's turn first, the
// trace's event once the lock is held.
void Mutex::lock_hooked(const SourceLocation& where, std::uint8_t h) {
  if (h & detail::kHookSchedule) detail::schedule_point("Mutex.Lock", where);
  std::uint32_t expected = 0;
  if (!state_.compare_exchange_weak(expected, kLocked, std::memory_order_acquire,
                                    std::memory_order_relaxed))
    lock_slow(where);
  if (h & detail::kHookTrace)
    detail::trace_sync("Mutex.Lock", trace_id_, "mu", where, &trace_floor_);
}

void Mutex::lock_slow(const SourceLocation& where) {
  for (;;) {
    // Spin a little: the holder usually leaves the critical section soon.
    for (int i = 0; i < 64; ++i) {
      if (try_lock()) return;
      detail::cpu_relax();
    }
    if (try_lock()) return;
    std::optional<Waiter> me;  // made under the lock: bookkeeping (see tsan.hpp)
    {
      detail::tsan::BlindLock guard(mu_);
      // Announce ourselves, then look once more: an unlock() that runs after
      // the announcement takes mu_ and finds us in the queue.
      std::uint32_t s = state_.fetch_add(kWaiter, std::memory_order_relaxed) + kWaiter;
      while (!(s & kLocked)) {
        if (state_.compare_exchange_weak(s, (s - kWaiter) | kLocked, std::memory_order_acquire,
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

void Mutex::unlock_slow(std::uint32_t prev) {
  if (!(prev & kLocked)) detail::fatal("sync: unlock of unlocked mutex");
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
