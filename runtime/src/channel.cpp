// Channel operations and select, after Go's runtime/chan.go and select.go.
#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "goc/detail/chan_core.hpp"
#include "goc/detail/schedule.hpp"
#include "goc/detail/trace.hpp"
#include "goc/panic.hpp"
#include "cpu_relax.hpp"
#include "processors.hpp"
#include "tsan.hpp"

namespace goc::detail {

// ---------------------------------------------------------------------------
void WaitQueue::push(Waiter* w) noexcept {
  w->prev = tail_;
  w->next = nullptr;
  if (tail_) tail_->next = w; else head_ = w;
  tail_ = w;
  w->linked = true;
}

void WaitQueue::remove(Waiter* w) noexcept {
  if (!w->linked) return;
  if (w->prev) w->prev->next = w->next; else head_ = w->next;
  if (w->next) w->next->prev = w->prev; else tail_ = w->prev;
  w->prev = w->next = nullptr;
  w->linked = false;
}

Waiter* WaitQueue::claim(const Sleeper* self) noexcept {
  Waiter* w = head_;
  while (w) {
    Waiter* next = w->next;
    if (w->sleeper != self) {
      remove(w);
      int expected = -1;
      if (w->sleeper->winner.compare_exchange_strong(expected, w->case_index,
                                                     std::memory_order_acq_rel))
        return w;
      // Its select was already won on another channel: drop the stale waiter.
    }
    w = next;
  }
  return nullptr;
}

std::size_t ChanBase::len() const noexcept {
  return len_snapshot_.load(std::memory_order_relaxed);
}

namespace {

// Under ThreadSanitizer a channel's lock is blind (see tsan.hpp); these state
// the edges of Go's memory model instead, around each move of a user value.

void set_count(ChanBase* c, std::size_t n) {
  c->count_ = n;
  c->len_snapshot_.store(n, std::memory_order_relaxed);
}

// A buffer slot is a sync point for ThreadSanitizer, as in Go's race
// detector. Without ThreadSanitizer these compile to nothing, sparing the
// virtual buf_slot() call inside the critical section.
void slot_acquire([[maybe_unused]] ChanBase* c, [[maybe_unused]] std::size_t i) {
#ifdef GOC_TSAN
  tsan::acquire(c->buf_slot(i));
#endif
}
void slot_release([[maybe_unused]] ChanBase* c, [[maybe_unused]] std::size_t i) {
#ifdef GOC_TSAN
  tsan::release(c->buf_slot(i));
#endif
}

// The slot after i, wrapping around (a compare, not a division: this runs
// under the lock on every buffered operation).
std::size_t next_slot(const ChanBase* c, std::size_t i) { return i + 1 == c->cap_ ? 0 : i + 1; }

// Puts *src at the buffer's tail. The k-th receive from a slot happens before
// the next send into it completes (the k-th receive before the (k+C)-th send).
void buffer_push(ChanBase* c, void* src) {
  std::size_t i = c->head_ + c->count_;
  if (i >= c->cap_) i -= c->cap_;
  slot_acquire(c, i);
  {
    tsan::Visible visible;
    c->buf_store(i, src);
  }
  slot_release(c, i);
  set_count(c, c->count_ + 1);
}

// Takes the buffer's head into *dst: the send that filled the slot happens
// before this receive completes.
void buffer_pop(ChanBase* c, void* dst) {
  std::size_t i = c->head_;
  slot_acquire(c, i);
  {
    tsan::Visible visible;
    c->buf_take(i, dst);
  }
  slot_release(c, i);
  c->head_ = next_slot(c, i);
  set_count(c, c->count_ - 1);
}

// On a full buffer with a parked sender: takes the head into *dst and puts
// the sender's value in that slot, which becomes the tail; the count stays.
// For ThreadSanitizer: the send that filled the slot happens before this
// receive completes, this receive happens before the parked sender's send
// completes (the slot's k-th receive before its (k+C)-th send), and the
// sender's value is published on the slot for the receive that takes it.
void buffer_rotate(ChanBase* c, void* dst, Waiter* sender) {
  std::size_t i = c->head_;
  slot_acquire(c, i);
  tsan::acquire(sender);
  {
    tsan::Visible visible;
    c->buf_take(i, dst);
    c->buf_store(i, sender->slot);
  }
  slot_release(c, i);
  c->head_ = next_slot(c, i);
}

// Moves a value between this goroutine and a parked partner: a direct hand-off
// orders both sides (the parked side released on its waiter when it parked).
void hand_off(ChanBase* c, Waiter* partner, void* dst, void* src) {
  tsan::acquire(partner);
  tsan::Visible visible;
  c->move_value(dst, src);
}

// Wakes a waiter claimed from a queue. Call after releasing the channel lock.
void wake(Waiter* w) {
  unpark_count();
  tsan::ignore_accesses_begin();  // reading the waiter's frame: bookkeeping
  Sleeper* sleeper = w->sleeper;
  tsan::ignore_accesses_end();
  sleeper->parker.wake();
}

// While tracing: records the parked partner's side of a hand-off this
// goroutine just completed, on the partner's track, before waking it (see
// ParkedTrace): its send when `partner_sent` (its own value), else its
// receive of `sent`, the value this side sent. Nothing when the partner
// parked before recording started (it has no ParkedTrace).
void trace_woken_partner(const ChanBase* c, Waiter* w, bool partner_sent, const TraceValue* sent) {
  ParkedTrace* p = w->trace;
  if (!p) return;
  const TraceValue* value = sent;
  if (partner_sent) value = p->value ? &p->value[p->cases ? w->case_index : 0] : nullptr;
  static const TraceValue kNone;
  if (!value) value = &kNone;
  int position = -1;
  if (p->cases) {
    position = p->cases[w->case_index].position;
    if (position < 0) position = w->case_index;
  }
  trace_partner_op(p->g, p->cases ? "select" : partner_sent ? "send" : "recv", c,
                   ChanMark{w->pos, w->ts}, *value, position, partner_sent, p->where);
  p->recorded = true;
}

// chan_trace_value into `out` (a blank TraceValue): no string is moved or
// freed for the values kept as bits, which is most of them.
void take_trace_value(const ChanBase* c, const void* v, TraceValue& out) {
  if (!c || !v) return;
  out.kind = c->trace_bits(v, out.bits);
  if (out.kind == kTraceText && !c->format_value(v, out.text)) out.kind = kTraceNone;
}

}  // namespace

TraceValue chan_trace_value(const ChanBase* c, const void* v) {
  TraceValue out;
  take_trace_value(c, v, out);
  return out;
}

namespace {

// The non-blocking part of a send: hand the value to a parked receiver, or put
// it in the buffer. Returns the receiver to wake (or nullptr) through `woken`.
// Caller holds c->mu_ and has checked that c is open.
//
// Positions (for the trace): every value that enters the channel, into the
// buffer or straight to a receiver, gets the next number of entered_; the
// buffer's head is number entered_ - count_ + 1 (see ChanBase). With a
// `mark` (the caller is tracing) the time of the move is taken here, under
// the lock, for this side and for a parked partner (the sending side's first).
// kTraced: compiled twice, so that an untraced operation tests no `mark`.
template <bool kTraced>
bool try_send_locked(ChanBase* c, void* src, const Sleeper* self, Waiter** woken,
                     ChanMark* mark) {
  if constexpr (!kTraced) mark = nullptr;
  if (Waiter* r = c->recvq_.claim(self)) {
    hand_off(c, r, r->slot, src);
    if (r->ok) *r->ok = true;
    r->pos = ++c->entered_;
    if (mark) {
      mark->pos = r->pos;
      mark->ts = r->ts = trace_now_unfenced();  // one reading for both ends
    }
    *woken = r;
    return true;
  }
  if (c->count_ < c->cap_) {
    buffer_push(c, src);
    ++c->entered_;
    if (mark) *mark = ChanMark{c->entered_, 0};  // the time after the unlock (trace_chan_op)
    return true;
  }
  return false;
}

// The non-blocking part of a receive. Caller holds c->mu_.
template <bool kTraced>
bool try_recv_locked(ChanBase* c, void* dst, bool* ok, const Sleeper* self, Waiter** woken,
                     ChanMark* mark) {
  if constexpr (!kTraced) mark = nullptr;
  if (Waiter* s = c->sendq_.claim(self)) {
    if (c->cap_ == 0) {
      hand_off(c, s, dst, s->slot);  // rendezvous: take the sender's value
      s->pos = ++c->entered_;
      if (mark) {
        s->ts = trace_now_unfenced();
        *mark = ChanMark{s->pos, s->ts};
      }
    } else {
      // The buffer is full (a sender is parked): take the head, and the
      // sender's value goes into the slot just freed, which is now the tail
      // (FIFO order kept). The count never changes, so len() never dips
      // below the capacity, as in Go.
      std::uint64_t pos = c->entered_ - c->count_ + 1;  // the head's
      buffer_rotate(c, dst, s);
      s->pos = ++c->entered_;
      if (mark) {
        *mark = ChanMark{pos, trace_now_unfenced()};
        s->ts = mark->ts;
      }
    }
    *woken = s;
    if (ok) *ok = true;
    return true;
  }
  if (c->count_ > 0) {
    if (mark) *mark = ChanMark{c->entered_ - c->count_ + 1, 0};  // the head's; time as a send's
    buffer_pop(c, dst);
    if (ok) *ok = true;
    return true;
  }
  if (c->closed_) {
    if (mark) *mark = ChanMark{0, trace_now()};
    tsan::acquire(&c->closed_);  // the close happens before this receive
    {
      tsan::Visible visible;
      c->set_zero(dst);
    }
    if (ok) *ok = false;
    return true;
  }
  return false;
}

[[noreturn]] void panic_send_on_closed() { throw Panic("send on closed channel"); }

// Blocks the current goroutine on one queue of one channel; the lock is held
// on entry and released before parking.
void park_on(WaitQueue& q, Sleeper& me, Waiter& w, tsan::BlindLock<SpinMutex>& lock) {
  tsan::release(&w);  // whoever claims w acquires everything before this
  q.push(&w);
  park_begin();
  lock.unlock();
  me.parker.park();
  set_running_state(w.ts);
}

// A buffered channel that is full (for a sender) or empty (for a receiver)
// usually changes within microseconds. So before parking, the goroutine waits
// briefly outside the channel, watching the lock-free snapshots, and then
// tries once more; two goroutines streaming through a buffer then rarely
// sleep. While it waits it is in no queue and not counted as blocked, exactly
// like a goroutine that has not reached the operation yet, so the deadlock
// detector stays exact. Unbuffered channels skip this: their partner must
// find the waiter in the queue, so they wait there (Parker::park spins too).
//
// The wait is made of yields, without spinning: the goroutine waits for a
// whole other goroutine to run, often one that needs this very core (a
// producer and its consumers outnumber the cores), and a yield both lets it
// run and looks again at a gentler pace than a spin.
//
// And once the buffer has what it waits for, the goroutine keeps waiting as
// long as the other side is still at work, that is while the count keeps
// moving its way between two looks: a receiver lets the sender go on filling,
// a sender lets the receiver go on draining. The two sides then take turns
// by the batch, like goroutines sharing one processor in Go, rather than
// fighting over the lock item by item from two cores, which costs a cache
// miss or two per item. A side that stops (or a full, or empty, buffer) ends
// the wait at the next look, a microsecond or so later.
const SpinBudget kChanWait{0, 100};

bool wait_for_room(ChanBase* c) {
  std::size_t before = c->cap_;
  return spin_briefly(kChanWait, [&] {
    std::size_t now = c->len_snapshot_.load(std::memory_order_relaxed);
    bool draining = now < before;
    before = now;
    return (now < c->cap_ && (!draining || now == 0)) ||
           c->closed_snapshot_.load(std::memory_order_relaxed);
  });
}

bool wait_for_value(ChanBase* c) {
  std::size_t before = 0;
  return spin_briefly(kChanWait, [&] {
    std::size_t now = c->len_snapshot_.load(std::memory_order_relaxed);
    bool filling = now > before;
    before = now;
    return (now > 0 && (!filling || now == c->cap_)) ||
           c->closed_snapshot_.load(std::memory_order_relaxed);
  });
}

}  // namespace


// A receive that completed: its value (or the closed channel's zero value,
// position 0), for the trace.
void trace_received(const ChanBase* c, const ChanMark& mark, const void* dst,
                    const SourceLocation& where) {
  if (mark.pos) {  // a value, not a closed channel's zero value
    std::uint64_t bits = 0;
    const std::uint8_t kind = c->trace_bits(dst, bits);
    if (kind != kTraceText) {
      trace_send_recv(c, false, mark.pos, kind, bits, mark.ts, where);
      return;
    }
  }
  trace_chan_op("recv", c, mark, mark.pos ? chan_trace_value(c, dst) : TraceValue(), 0, false,
                mark.pos == 0, where);
}

namespace {

// chan_send, compiled with and without the trace's hooks (kTraced): tracing
// off, an operation pays only the test of the hook word's bit that chose it.
template <bool kTraced>
bool chan_send_as(ChanBase* c, void* src, bool block, const SourceLocation& where,
                  std::uint8_t h) {
  if (h & kHookSchedule) schedule_point("send", where, c, src);
  ChanMark traced_mark;
  ChanMark* mark = kTraced ? &traced_mark : nullptr;
  // While recording: the value about to move. On this goroutine's stack:
  // per thread, the goroutines of a scheduled run (fibers on one thread)
  // would overwrite each other's while parked.
  std::optional<TraceValue> sent;
  if constexpr (kTraced) take_trace_value(c, src, sent.emplace());
  if (!c) {
    if (!block) return false;
    block_forever(GState::chan_send_nil, where);
  }
  Waiter* woken = nullptr;
  tsan::BlindLock lock(c->mu_);
  for (bool waited = !block || c->cap_ == 0;; waited = true) {
    if (c->closed_) {
      lock.unlock();
      panic_send_on_closed();
    }
    if (try_send_locked<kTraced>(c, src, nullptr, &woken, mark)) {
      lock.unlock();
      if (woken && mark) trace_woken_partner(c, woken, false, &*sent);
      if (woken) wake(woken);
      if (mark && sent->kind != kTraceText)
        trace_send_recv(c, true, mark->pos, sent->kind, sent->bits, mark->ts, where);
      else if (mark)
        trace_chan_op("send", c, *mark, *sent, 0, true, false, where);
      return true;
    }
    if (!block) return false;
    if (waited) break;
    lock.unlock();
    if (!schedule_on() && !on_fiber()) wait_for_room(c);  // then look again, whatever it saw
    lock.lock();
  }
  // The wait records are made under the lock: bookkeeping, invisible to
  // ThreadSanitizer like the rest of what the lock guards.
  Sleeper me;
  Waiter w;
  w.sleeper = &me;
  w.slot = src;
  ParkedTrace traced;
  if (mark) {
    traced = ParkedTrace{current_g()->id, where, &*sent, nullptr, false};
    w.trace = &traced;
  }
  set_blocked_state(GState::chan_send, where, c);
  park_on(c->sendq_, me, w, lock);
  if (w.closed) panic_send_on_closed();
  if (mark && !traced.recorded)
    trace_chan_op("send", c, ChanMark{w.pos, w.ts}, *sent, 0, true, false, where);
  return true;
}

// chan_recv, compiled with and without the trace's hooks, as chan_send_as.
template <bool kTraced>
bool chan_recv_as(ChanBase* c, void* dst, bool* ok, bool block, const SourceLocation& where,
                  std::uint8_t h) {
  if (h & kHookSchedule) schedule_point("receive", where, c);
  ChanMark traced_mark;
  ChanMark* mark = kTraced ? &traced_mark : nullptr;
  if (!c) {
    if (!block) return false;
    block_forever(GState::chan_receive_nil, where);
  }
  Waiter* woken = nullptr;
  tsan::BlindLock lock(c->mu_);
  for (bool waited = !block || c->cap_ == 0;; waited = true) {
    if (try_recv_locked<kTraced>(c, dst, ok, nullptr, &woken, mark)) {
      lock.unlock();
      if (woken && mark) trace_woken_partner(c, woken, true, nullptr);
      if (woken) wake(woken);
      if (mark) trace_received(c, *mark, dst, where);
      return true;
    }
    if (!block) return false;
    if (waited) break;
    lock.unlock();
    if (!schedule_on() && !on_fiber()) wait_for_value(c);  // as in chan_send
    lock.lock();
  }
  Sleeper me;  // made under the lock, as in chan_send
  Waiter w;
  w.sleeper = &me;
  w.slot = dst;
  w.ok = ok;
  ParkedTrace traced;
  if (mark) {
    traced = ParkedTrace{current_g()->id, where, nullptr, nullptr, false};
    w.trace = &traced;
  }
  set_blocked_state(GState::chan_receive, where, c);
  park_on(c->recvq_, me, w, lock);
  if (mark && !traced.recorded)
    trace_received(c, ChanMark{w.closed ? 0 : w.pos, w.ts}, dst, where);
  return true;
}

// While recording, the commonest operation, a send into a buffer with room
// and no receiver waiting, the short way: its event is a hot one
// (trace_send_recv) and nothing else of the trace's is made for it. Its
// value's bits are read before the move, which leaves a value kept as bits
// as it was; a value that prints only as text goes the long way, which
// takes its text first. False, with nothing done, for the long way.
bool traced_send_to_buffer(ChanBase* c, void* src, const SourceLocation& where) {
  std::uint64_t bits = 0;
  const std::uint8_t kind = c->trace_bits(src, bits);
  if (kind == kTraceText) return false;
  tsan::BlindLock lock(c->mu_);
  if (c->closed_ || !c->recvq_.empty() || c->count_ >= c->cap_) return false;
  buffer_push(c, src);
  const std::uint64_t pos = ++c->entered_;
  lock.unlock();
  trace_send_recv(c, true, pos, kind, bits, 0, where);
  return true;
}

// The same for a receive from a buffer that holds a value, with no sender
// waiting.
bool traced_recv_from_buffer(ChanBase* c, void* dst, bool* ok, const SourceLocation& where) {
  tsan::BlindLock lock(c->mu_);
  if (!c->sendq_.empty() || c->count_ == 0) return false;
  const std::uint64_t pos = c->entered_ - c->count_ + 1;  // the head's
  buffer_pop(c, dst);
  lock.unlock();
  if (ok) *ok = true;
  // trace_received's work, written out: through it, the traced SPSC took
  // 27.5-28.3 ns against 24.7 (bench/trace-on-cost.sh, 2026-12-07 05:33).
  std::uint64_t bits = 0;
  const std::uint8_t kind = c->trace_bits(dst, bits);
  if (kind == kTraceText) trace_received(c, ChanMark{pos, 0}, dst, where);
  else trace_send_recv(c, false, pos, kind, bits, 0, where);
  return true;
}

}  // namespace

bool chan_send(ChanBase* c, void* src, bool block, const SourceLocation& where) {
  const std::uint8_t h = hooks();
  if (h & kHookTrace) [[unlikely]] {
    if (c && !(h & kHookSchedule) && traced_send_to_buffer(c, src, where)) return true;
    return chan_send_as<true>(c, src, block, where, h);
  }
  return chan_send_as<false>(c, src, block, where, h);
}

bool chan_recv(ChanBase* c, void* dst, bool* ok, bool block, const SourceLocation& where) {
  const std::uint8_t h = hooks();
  if (h & kHookTrace) [[unlikely]] {
    if (c && !(h & kHookSchedule) && traced_recv_from_buffer(c, dst, ok, where)) return true;
    return chan_recv_as<true>(c, dst, ok, block, where, h);
  }
  return chan_recv_as<false>(c, dst, ok, block, where, h);
}

void chan_close(ChanBase* c, const SourceLocation& where) {
  const std::uint8_t h = hooks();
  if (h & kHookSchedule) schedule_point("close", where, c);
  ChanMark traced_mark;
  ChanMark* mark = (h & kHookTrace) ? &traced_mark : nullptr;
  if (!c) throw Panic("close of nil channel");
  Waiter* to_wake = nullptr;  // singly linked through ->next once claimed
  {
    tsan::BlindLock lock(c->mu_);
    if (c->closed_) {
      lock.unlock();
      throw Panic("close of closed channel");
    }
    c->closed_ = true;
    c->closed_snapshot_.store(true, std::memory_order_relaxed);
    tsan::release(&c->closed_);  // the close happens before receives that see it
    if (mark) mark->ts = trace_now();
    while (Waiter* r = c->recvq_.claim(nullptr)) {
      // Untracked, like Go's runtime clearing the receiver's slot: a parked
      // receiver's history must not flow to the closer (Go has no such edge).
      c->set_zero(r->slot);
      if (r->ok) *r->ok = false;
      r->closed = true;
      if (mark) r->ts = trace_now();
      r->next = to_wake;
      to_wake = r;
    }
    while (Waiter* s = c->sendq_.claim(nullptr)) {
      s->closed = true;
      if (mark) s->ts = trace_now();
      s->next = to_wake;
      to_wake = s;
    }
  }
  tsan::ignore_accesses_begin();  // the waiters' frames are bookkeeping
  while (to_wake) {
    Waiter* next = to_wake->next;  // read before waking: the waiter's frame may vanish
    wake(to_wake);
    to_wake = next;
  }
  tsan::ignore_accesses_end();
  if (mark) trace_chan_op("close", c, *mark, TraceValue(), 0, false, false, where);
}

// ---------------------------------------------------------------------------
// select
namespace {

// The uniform choice among ready cases. A scheduled run draws from the
// schedule's seeded generator instead (schedule_random), so that the choice
// replays with the seed; per thread it could not, as every goroutine of a
// scheduled run shares main's thread.
std::minstd_rand& select_rng() {
  thread_local std::minstd_rand rng{std::random_device{}()};
  return rng;
}

// The select itself; with a `mark` (tracing) it also notes where the chosen
// case moved its value.
// Compiled with and without the trace's hooks (kTraced), as chan_send_as.
template <bool kTraced>
int run_select(SelectCase* cases, int n, bool has_default, const SourceLocation& where,
               ChanMark* mark, const TraceValue* offered, bool scheduled) {
  if constexpr (!kTraced) {
    mark = nullptr;
    offered = nullptr;
  }
  // The distinct channels, in address order: the lock order every select uses.
  // Small selects (the usual case) keep their bookkeeping on the stack.
  constexpr int kSmall = 8;
  ChanBase* locks[kSmall];
  ChanBase** lock_order = locks;
  std::vector<ChanBase*> many;
  if (n > kSmall) {
    many.resize(static_cast<std::size_t>(n));
    lock_order = many.data();
  }
  int n_locks = 0;
  for (int i = 0; i < n; ++i)
    if (cases[i].chan) lock_order[n_locks++] = cases[i].chan;
  std::sort(lock_order, lock_order + n_locks);
  n_locks = static_cast<int>(std::unique(lock_order, lock_order + n_locks) - lock_order);

  if (n_locks == 0) {
    if (has_default) return -1;
    block_forever(GState::select_no_cases, where);
  }

  // A random permutation of the cases gives the uniform choice among the ready.
  int order_small[kSmall];
  int* order = order_small;
  std::vector<int> order_many;
  if (n > kSmall) {
    order_many.resize(static_cast<std::size_t>(n));
    order = order_many.data();
  }
  for (int i = 0; i < n; ++i) order[i] = i;
  for (int i = n - 1; i > 0; --i) {
    std::uint64_t draw = scheduled ? schedule_random() : select_rng()();
    int j = static_cast<int>(draw % static_cast<unsigned>(i + 1));
    std::swap(order[i], order[j]);
  }

  auto lock_all = [&] {
    for (int i = 0; i < n_locks; ++i) tsan::blind_lock(lock_order[i]->mu_);
    tsan::ignore_accesses_begin();
  };
  auto unlock_all = [&] {
    tsan::ignore_accesses_end();
    for (int i = n_locks - 1; i >= 0; --i) tsan::blind_unlock(lock_order[i]->mu_);
  };

  Waiter* woken = nullptr;

  // Pass 1: with every channel locked, take the first ready case in random order.
  lock_all();
  for (int k = 0; k < n; ++k) {
    SelectCase& sc = cases[order[k]];
    if (!sc.chan) continue;
    bool done;
    if (sc.is_send) {
      if (sc.chan->closed_) {
        unlock_all();
        panic_send_on_closed();
      }
      done = try_send_locked<kTraced>(sc.chan, sc.slot, nullptr, &woken, mark);
    } else {
      done = try_recv_locked<kTraced>(sc.chan, sc.slot, sc.ok, nullptr, &woken, mark);
    }
    if (done) {
      unlock_all();
      if (woken && mark)
        trace_woken_partner(sc.chan, woken, !sc.is_send, sc.is_send ? &offered[order[k]] : nullptr);
      if (woken) wake(woken);
      return order[k];
    }
  }
  if (has_default) {
    unlock_all();
    return -1;
  }

  // Pass 2: join every channel's queue, then sleep until one waker wins us.
  // (Our own waiters are not queued before this pass, so pass 1 cannot pair
  // a case with another case of this select.)
  Sleeper me;
  ParkedTrace traced;
  if (mark) traced = ParkedTrace{current_g()->id, where, offered, cases, false};
  Waiter waiters_small[kSmall];
  Waiter* waiters = waiters_small;
  std::vector<Waiter> waiters_many;
  if (n > kSmall) {
    waiters_many.resize(static_cast<std::size_t>(n));
    waiters = waiters_many.data();
  }
  for (int k = 0; k < n; ++k) {
    int i = order[k];
    SelectCase& sc = cases[i];
    if (!sc.chan) continue;
    Waiter& w = waiters[i];
    w.sleeper = &me;
    w.case_index = i;
    w.slot = sc.slot;
    w.ok = sc.ok;
    if (mark) w.trace = &traced;
    tsan::release(&w);
    (sc.is_send ? sc.chan->sendq_ : sc.chan->recvq_).push(&w);
  }
  set_blocked_state(GState::select, where);
  park_begin();
  unlock_all();
  me.parker.park();
  int chosen = me.winner.load(std::memory_order_acquire);
  set_running_state(waiters[chosen].ts);

  // Pass 3: leave the queues of the cases that did not fire.
  for (int i = 0; i < n; ++i) {
    SelectCase& sc = cases[i];
    if (!sc.chan || i == chosen) continue;
    tsan::BlindLock lock(sc.chan->mu_);
    (sc.is_send ? sc.chan->sendq_ : sc.chan->recvq_).remove(&waiters[i]);
  }
  if (cases[chosen].is_send && waiters[chosen].closed) panic_send_on_closed();
  if (mark)
    *mark = ChanMark{waiters[chosen].closed ? 0 : waiters[chosen].pos, waiters[chosen].ts,
                     traced.recorded};
  return chosen;
}

}  // namespace

int select_impl(SelectCase* cases, int n, bool has_default, const SourceLocation& where) {
  const std::uint8_t h = hooks();
  if (h & kHookSchedule) schedule_point("select", where);
  const bool scheduled = (h & kHookSchedule) != 0;
  if (!(h & kHookTrace)) [[likely]]
    return run_select<false>(cases, n, has_default, where, nullptr, nullptr, scheduled);
  // Tracing: the values the send cases offer, as text before one is moved.
  std::vector<TraceValue> offered(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i)
    if (cases[i].is_send) offered[i] = chan_trace_value(cases[i].chan, cases[i].slot);
  ChanMark mark;
  int chosen = run_select<true>(cases, n, has_default, where, &mark, offered.data(), scheduled);
  if (chosen < 0) {
    trace_chan_op("select", nullptr, mark, TraceValue(), -1, false, false, where);
    return chosen;
  }
  if (mark.recorded) return chosen;  // the goroutine that woke this select recorded it
  const SelectCase& sc = cases[chosen];
  TraceValue received;
  if (!sc.is_send && mark.pos) received = chan_trace_value(sc.chan, sc.slot);
  trace_chan_op("select", sc.chan, mark, sc.is_send ? offered[chosen] : received, sc.position >= 0 ? sc.position : chosen, sc.is_send,
                !sc.is_send && mark.pos == 0, where);
  return chosen;
}

}  // namespace goc::detail
