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

// lock() with a schedule or a trace on. With the trace alone, the short
// way: take the lock as kTracedLock (so that unlock() records its own
// event), then count the Lock in the header word the mutex keeps (its
// number orders the mutex's events in the flush, see detail::trace_mutex)
// and record it. Everything else (a schedule, a lock already held, the
// mutex's first traced event, a number past 32 bits) goes out of line, so
// that the short way only tail-calls and saves no registers.
void Mutex::lock_hooked(SourceLocation where, std::uint8_t h) {
  if (h != detail::kHookTrace) [[unlikely]] {
    lock_scheduled(where, h);
    return;
  }
  std::uint32_t expected = 0;
  if (!state_.compare_exchange_weak(expected, kTracedLock, std::memory_order_acquire,
                                    std::memory_order_relaxed)) [[unlikely]] {
    lock_traced_slow(where);
    return;
  }
  const std::uint64_t word = trace_word_ + 1;  // held: the holder's own
  if (!hot_word(word)) [[unlikely]] {
    record_lock_the_long_way(where);
    return;
  }
  trace_word_ = word;
  detail::trace_mutex_lock_word(word, where);
}

// lock_hooked's other way, for a mutex held by another goroutine: takes it
// as kTracedLock, then records the Lock.
[[gnu::noinline]] void Mutex::lock_traced_slow(SourceLocation where) {
  lock_slow(where, kTracedLock);
  record_lock_the_long_way(where);
}

[[gnu::noinline]] void Mutex::record_lock_the_long_way(SourceLocation where) {
  std::uint32_t id = 0;
  const std::uint64_t seq = next_trace_seq(&id);
  detail::trace_mutex(false, id, seq, where);
}

// The next number of a traced Lock or Unlock, for the ways other than the
// short one, with the mutex's trace id: counts in trace_word_ as the short
// way does, and sets its top half at the mutex's first traced event (or
// clears it for good when the count passes 32 bits). Called while held.
std::uint64_t Mutex::next_trace_seq(std::uint32_t* id) {
  *id = detail::trace_object_id(trace_id_, "mu");
  std::uint64_t word = trace_word_ + 1;
  if (static_cast<std::uint32_t>(word) == 0) {
    ++trace_epoch_;  // the low half wrapped (its carry is dropped with the top)
    word = 0;
  } else if ((word >> 32) == 0 && trace_epoch_ == 0) {
    word |= std::uint64_t{detail::mutex_hot_top(*id)} << 32;
  }
  trace_word_ = word;
  return std::uint64_t{trace_epoch_} << 32 | static_cast<std::uint32_t>(word);
}

// lock() under a schedule: the schedule's turn first, then the lock, traced
// as lock_hooked's is when the trace is on too.
[[gnu::noinline]] void Mutex::lock_scheduled(SourceLocation where, std::uint8_t h) {
  if (h & detail::kHookSchedule) detail::schedule_point("Mutex.Lock", where);
  const bool traced = (h & detail::kHookTrace) != 0;
  const std::uint32_t bits = traced ? kTracedLock : kLocked;
  std::uint32_t expected = 0;
  if (!state_.compare_exchange_weak(expected, bits, std::memory_order_acquire,
                                    std::memory_order_relaxed))
    lock_slow(where, bits);
  if (traced) record_lock_the_long_way(where);
}

constexpr int kSpinLooks = 4, kPausesBetweenLooks = 120;

void Mutex::lock_slow(SourceLocation where, std::uint32_t bits) {
  for (;;) {
    // Spin a little: the holder usually leaves the critical section soon.
    // Four looks, as Go's sync.Mutex spins, but 120 pauses apart (Go: 30).
    // Each look pulls the mutex's cache line to this core, and a look that
    // finds the lock free moves the lock here: the holder's next Lock on the
    // other core then fails, and each change of core pays for the line's
    // trips (a round trip takes 60-110 ns on the course's machines in some
    // stretches and 325-355 ns in others: BM_ThreadRoundTrip in
    // bench/runtime_bench.cpp). Looking at every pause made the holder pay
    // on most of its operations (four goroutines on two cores, traced:
    // 8.3-43.7 ns a Lock+Unlock, against 8.1-10.5 with 30 pauses). A traced
    // hold leaves the lock free longer (its Unlock records after the
    // release), so more looks find it free: with 120 pauses, 9 of 56 rounds
    // of goc_bench's traced Mutex went over 2x its untraced one, against 20
    // of 56 with 30 (builds alternating, 2026-12-07).
    // Under a schedule only one goroutine runs at a time, so the holder
    // cannot leave while we look: park at once (goc_schedule_bench's
    // mutex-held: 257,000 decisions a second with the spin, 7.3 million
    // without, 2026-12-07).
    const int looks = detail::schedule_on() ? 0 : kSpinLooks;
    for (int look = 0; look < looks; ++look) {
      if (try_acquire(bits)) return;
      for (int i = 0; i < kPausesBetweenLooks; ++i) detail::cpu_relax();
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

// unlock() while tracing. A traced hold: its number is taken while held,
// so that it comes before the next Lock's; then one step releases it, and
// the Unlock is recorded after the release, outside the critical section
// the others wait for (a tail call when nobody is queued). A hold from
// before the trace began, and the traced hold's other ways (see
// next_trace_seq), go to unlock_slow, which releases either in one step.
// The holder's own bits cannot change under it, so a relaxed load tells.
void Mutex::unlock_traced(SourceLocation where) {
  const std::uint32_t seen = state_.load(std::memory_order_relaxed);
  if (!(seen & kTracedLock)) [[unlikely]] {
    unlock_slow(seen, where);
    return;
  }
  const std::uint64_t word = trace_word_ + 1;  // read only by a holder
  if (!hot_word(word)) [[unlikely]] {
    unlock_slow(seen, where);
    return;
  }
  trace_word_ = word;
  const std::uint32_t was = state_.fetch_sub(kTracedLock, std::memory_order_release);
  if (was >= kWaiter) [[unlikely]] {
    record_unlock_and_wake(word, where, was);
    return;
  }
  detail::trace_mutex_unlock_word(word, where);
}

// unlock_traced's end when goroutines are queued: the Unlock, then the wake.
[[gnu::noinline]] void Mutex::record_unlock_and_wake(std::uint64_t word,
                                                     SourceLocation where,
                                                     std::uint32_t was) {
  detail::trace_mutex_unlock_word(word, where);
  wake_first_waiter(was);
}

// unlock() when its one step did not apply, or while tracing: `seen` is
// the state it found, which it left unchanged: not locked (a fatal error),
// a traced hold, goroutines queued, or (from unlock_traced) an untraced
// hold.
[[gnu::noinline]] void Mutex::unlock_slow(std::uint32_t seen, SourceLocation where) {
  if (!(seen & kHeld)) detail::fatal("sync: unlock of unlocked mutex");
  if (!(seen & kTracedLock)) {
    wake_first_waiter(state_.fetch_sub(kLocked, std::memory_order_release));
    return;
  }
  // The event's number is taken while held, so that it comes before the
  // next Lock's; the id too, as once released the mutex may be locked,
  // unlocked and destroyed.
  std::uint32_t id = 0;
  const std::uint64_t seq = next_trace_seq(&id);
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
