// WaitGroup: a counter and a waiter count in one atomic word, as Go keeps them.
#include "goc/waitgroup.hpp"
#include "goc/detail/schedule.hpp"
#include "goc/detail/trace.hpp"

#include <optional>

#include "goc/panic.hpp"
#include "tsan.hpp"

namespace goc {

struct WaitGroup::Waiter {
  detail::Parker parker;
  Waiter* next = nullptr;
  std::uint64_t released_at = 0;  // the releasing Done's trace time (0: not traced)
};

namespace {
constexpr std::uint64_t kOneCount = std::uint64_t{1} << 32;
constexpr std::uint64_t kWaiterMask = kOneCount - 1;
}  // namespace

void WaitGroup::change(std::int64_t delta, const SourceLocation& where, const char* what) {
  if (detail::trace_on()) [[unlikely]] {
    change_traced(delta, where, what);
    return;
  }
  move_counter(delta, 0);
}

// change() while tracing, out of line so that the untraced path saves no
// registers for its call. The event is recorded before the counter moves,
// so that a Done is never later than the Wait it releases; the goroutines it
// releases end their wait at its time.
[[gnu::noinline]] void WaitGroup::change_traced(std::int64_t delta, const SourceLocation& where,
                                                const char* what) {
  move_counter(delta, detail::trace_sync(what, trace_id_, "wg", where));
}

// The counter moves by `delta`; `traced_at` is its event's time (0 when not
// traced), handed to the goroutines it releases.
[[gnu::always_inline]] inline void WaitGroup::move_counter(std::int64_t delta,
                                                           std::uint64_t traced_at) {
  // Release on decrements so that wait() can acquire every done()'s history;
  // no acquire, so done() calls do not order each other (as in Go).
  auto order = delta < 0 ? std::memory_order_release : std::memory_order_relaxed;
  std::uint64_t prev = state_.fetch_add(static_cast<std::uint64_t>(delta) * kOneCount, order);
  std::int64_t count = static_cast<std::int32_t>(prev >> 32) + delta;
  if (count < 0) throw Panic("sync: negative WaitGroup counter");
  if (count > 0 || delta >= 0 || (prev & kWaiterMask) == 0) return;
  release_waiters(traced_at);
}

// The counter reached zero with goroutines waiting. They are parked (or
// about to park) and cannot return until woken, so *this stays alive until
// the last wake() below; after it, *this is not touched.
[[gnu::noinline]] void WaitGroup::release_waiters(std::uint64_t traced_at) {
  Waiter* list;
  {
    detail::tsan::BlindLock lock(mu_);
    list = waiters_;
    waiters_ = nullptr;
    // An RMW, not a store: it keeps the done() release sequence intact for
    // the waiters' acquire.
    state_.exchange(0, std::memory_order_relaxed);
  }
  detail::tsan::ignore_accesses_begin();  // the waiters' frames are bookkeeping
  while (list) {
    Waiter* next = list->next;  // read first: the waiter's frame goes when it wakes
    detail::unpark_count();
    list->released_at = traced_at;
    list->parker.wake();
    list = next;
  }
  detail::tsan::ignore_accesses_end();
}

void WaitGroup::wait(SourceLocation where) {
  const std::uint8_t h = detail::hooks();
  if (h & detail::kHookSchedule) detail::schedule_point("WaitGroup.Wait", where);
  if (h & detail::kHookTrace) [[unlikely]] {
    wait_until_zero(where);
    detail::trace_sync("WaitGroup.Wait", trace_id_, "wg", where);  // when it returns
    return;
  }
  wait_until_zero(where);
}

void WaitGroup::wait_until_zero(const SourceLocation& where) {
  if ((state_.load(std::memory_order_acquire) >> 32) == 0) return;
  std::optional<Waiter> me;  // made under the lock: bookkeeping (see tsan.hpp)
  {
    detail::tsan::BlindLock lock(mu_);
    std::uint64_t s = state_.load(std::memory_order_acquire);
    // Join the waiters only while the counter is still positive; the add()
    // that zeroes it takes mu_ before reading the list, so it will see us.
    for (;;) {
      if ((s >> 32) == 0) return;
      if (state_.compare_exchange_weak(s, s + 1, std::memory_order_acquire)) break;
    }
    me.emplace();
    me->next = waiters_;
    waiters_ = &*me;
    detail::set_blocked_state(detail::GState::waitgroup_wait, where);
    detail::park_begin();
  }
  me->parker.park();
  detail::set_running_state(me->released_at);
  // Acquire the released history of every done(), not only the last one's.
  (void)state_.load(std::memory_order_acquire);
}

}  // namespace goc
