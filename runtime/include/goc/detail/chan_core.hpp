// goc/detail/chan_core.hpp: the type-erased channel machinery behind
// Channel<T> and select. Not part of the student-facing API.
//
// The design follows Go's runtime (chan.go, select.go): one lock per channel,
// FIFO queues of parked senders and receivers, a direct hand-off to a parked
// partner, and for select one "winner" slot per blocked select that the first
// waker claims with a compare-and-swap. A select locks all its channels in
// address order while it polls and enqueues, as Go's sellock does. Before a
// send or receive on a full or empty buffer parks, it waits briefly outside
// the channel for the other side (see channel.cpp); the lock is a SpinMutex.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include "goc/detail/source_location.hpp"

#include "goc/detail/sched.hpp"

namespace goc::detail {

/// One blocked goroutine: a plain send/recv or a whole select. The first
/// waker to move `winner` from -1 to its case index owns the wake-up.
struct Sleeper {
  std::atomic<int> winner{-1};
  Parker parker;
};

struct SelectCase;
struct TraceValue;

/// While tracing: what the trace needs to record a parked operation's side
/// of a hand-off, kept on the parked goroutine's stack. The goroutine that
/// completes the hand-off (the partner taking a parked sender's value, or
/// filling a parked receiver) records the parked side's event with it before
/// waking it, so a hand-off's arrow has both ends even when the parked
/// goroutine never runs again (the program ends first); it then sets
/// `recorded`, and the parked side, once woken, does not record it again.
struct ParkedTrace {
  std::uint64_t g = 0;                // the parked goroutine's id
  SourceLocation where;               // its send, receive or select
  const TraceValue* value = nullptr;  // a send's value; a select's: one per case
  const SelectCase* cases = nullptr;  // a select's cases; nullptr: a plain send or receive
  bool recorded = false;              // set by the waker, read once woken
};

/// One parked operation on one channel's queue.
struct Waiter {
  Sleeper* sleeper = nullptr;
  int case_index = 0;
  void* slot = nullptr;   // send: the value to move from; recv: where to move to
  bool* ok = nullptr;     // recv: set to false when woken by close
  bool closed = false;    // set by close(): a sender panics, a receiver got zero
  std::uint64_t pos = 0;  // set by the waker: the value's position in the channel
  std::uint64_t ts = 0;   // set by a tracing waker: when the value moved (trace.hpp)
  ParkedTrace* trace = nullptr;  // while tracing: the parked side's record (see ParkedTrace)
  bool linked = false;
  Waiter* prev = nullptr;
  Waiter* next = nullptr;
};

/// A FIFO of waiters, guarded by the owning channel's lock.
class WaitQueue {
 public:
  void push(Waiter* w) noexcept;
  void remove(Waiter* w) noexcept;
  /// Removes and returns the first waiter this caller can claim (winning its
  /// Sleeper), skipping and dropping waiters whose select was already won
  /// elsewhere, and never touching waiters of `self` (a select must not pair
  /// with itself). Returns nullptr when there is none.
  Waiter* claim(const Sleeper* self) noexcept;
  bool empty() const noexcept { return head_ == nullptr; }

 private:
  Waiter* head_ = nullptr;
  Waiter* tail_ = nullptr;
};

/// The part of a channel that does not depend on the element type.
class ChanBase {
 public:
  explicit ChanBase(std::size_t capacity) : cap_(capacity) {}
  virtual ~ChanBase() = default;
  ChanBase(const ChanBase&) = delete;
  ChanBase& operator=(const ChanBase&) = delete;

  std::size_t cap() const noexcept { return cap_; }
  std::size_t len() const noexcept;

  // Element operations, implemented by ChanState<T>. Called under mu_.
  virtual void buf_store(std::size_t i, void* src) = 0;  // move *src into slot i
  virtual void buf_take(std::size_t i, void* dst) = 0;   // move slot i into *dst, clear it
  virtual const void* buf_slot(std::size_t i) const = 0; // slot i's address
  virtual void move_value(void* dst, void* src) = 0;
  virtual void set_zero(void* dst) = 0;     // *dst = T{}
  // The value at v as text, for the trace and the schedule report: false
  // when T does not print (not integral, not a string, no operator<<).
  virtual bool format_value(const void* v, std::string& out) const = 0;
  // The value at v for the trace without formatting it: its bits and how to
  // print them (a TraceValue kind, see trace.hpp); kTraceText asks the caller
  // to use format_value, kTraceNone means T does not print.
  virtual std::uint8_t trace_bits(const void* v, std::uint64_t& bits) const = 0;

  SpinMutex mu_;
  const std::size_t cap_;
  std::size_t head_ = 0;   // buffer slot of the oldest value
  std::size_t count_ = 0;  // values in the buffer
  // Values that entered the channel so far, into the buffer or straight to a
  // receiver: the k-th has position k. FIFO makes the head of the buffer
  // number entered_ - count_ + 1, so a receive knows the position of what it
  // takes, and the trace pairs each send with its receive by position.
  std::uint64_t entered_ = 0;
  bool closed_ = false;
  WaitQueue sendq_;
  WaitQueue recvq_;
  // Copies of count_ and closed_ readable without the lock: for len(), and
  // for a goroutine that waits briefly for buffer space or a value before it
  // parks (see chan_send). Written under mu_; only hints when read outside it.
  // On their own cache line, so that goroutines polling them do not keep
  // stealing the line of mu_ from the goroutine that holds it.
  std::atomic<std::size_t> len_snapshot_{0};
  std::atomic<bool> closed_snapshot_{false};
  // Where make_chan was called, and the trace's number for the channel
  // (0 until given; see chan_id in trace.hpp). Read only by the trace and
  // the schedule report, so last: the fields above keep their places.
  const char* made_file_ = "";
  std::uint32_t made_line_ = 0;
  std::atomic<std::uint64_t> trace_id_{0};
};

/// Blocking (or, with block == false, polling) send of *src. Returns false only
/// when !block and the send could not proceed. Panics on a closed channel.
bool chan_send(ChanBase* c, void* src, bool block, const SourceLocation& where);

/// Receive into *dst; *ok tells a value from the zero value of a closed
/// channel. Returns false only when !block and nothing was ready.
bool chan_recv(ChanBase* c, void* dst, bool* ok, bool block, const SourceLocation& where);

/// Closes c; panics on nil or already closed.
void chan_close(ChanBase* c, const SourceLocation& where);

/// One case of a select, type-erased.
struct SelectCase {
  ChanBase* chan = nullptr;  // nullptr: a nil channel, never chosen
  bool is_send = false;
  void* slot = nullptr;
  bool* ok = nullptr;
  int position = -1;  // the case's place among select()'s arguments, for the trace
};

/// Runs a select over `n` cases. Returns the chosen case's index, or -1 when
/// `has_default` and nothing was ready.
int select_impl(SelectCase* cases, int n, bool has_default, const SourceLocation& where);

}  // namespace goc::detail
