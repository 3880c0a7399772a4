// goc/channel.hpp: typed channels, Go's `chan T`, `chan<- T` and `<-chan T`.
//
// What each operation does in each state of the channel:
//
// | operation      | nil channel      | open channel                        | closed channel                         |
// |----------------|------------------|-------------------------------------|----------------------------------------|
// | send(v)        | blocks forever   | blocks until a receiver or buffer space | panics `send on closed channel`    |
// | recv()         | blocks forever   | blocks until a value arrives        | buffered values first, then T{} at once |
// | recv_ok()      | blocks forever   | {value, true}                       | buffered values, then {T{}, false}     |
// | close()        | panics `close of nil channel` | closes: wakes every waiter | panics `close of closed channel`       |
// | len() / cap()  | 0 / 0            | buffered count / capacity           | buffered count / capacity              |
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <type_traits>
#include "goc/detail/source_location.hpp"
#include <utility>
#include <vector>

#include "goc/detail/chan_core.hpp"
#include "goc/detail/trace.hpp"
#include "goc/panic.hpp"

namespace goc {

/// The element type of a pure signal channel: Go's `chan struct{}`.
struct Empty {
  /// Every Empty equals every other, as Go's `struct{}{} == struct{}{}`.
  friend bool operator==(Empty, Empty) noexcept { return true; }
};

template <class T> class Channel;
template <class T> class SendChan;
template <class T> class RecvChan;

namespace detail {

/// A channel's shared state: the buffer of T plus the untyped machinery.
template <class T>
class ChanState final : public ChanBase {
 public:
  explicit ChanState(std::size_t capacity)
      : ChanBase(capacity), buf_(std::make_unique<T[]>(capacity)) {}

  void buf_store(std::size_t i, void* src) override { buf_[i] = std::move(*static_cast<T*>(src)); }
  void buf_take(std::size_t i, void* dst) override {
    *static_cast<T*>(dst) = std::move(buf_[i]);
    buf_[i] = T{};  // release what the slot held, as Go clears the slot
  }
  const void* buf_slot(std::size_t i) const override { return &buf_[i]; }
  void move_value(void* dst, void* src) override {
    *static_cast<T*>(dst) = std::move(*static_cast<T*>(src));
  }
  void set_zero(void* dst) override { *static_cast<T*>(dst) = T{}; }
  std::uint8_t trace_bits(const void* v, std::uint64_t& bits) const override {
    const T& value = *static_cast<const T*>(v);
    if constexpr (std::is_same_v<T, bool>) {
      bits = value ? 1 : 0;
      return kTraceBool;
    } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
      bits = static_cast<std::uint64_t>(static_cast<std::int64_t>(value));
      return kTraceSigned;
    } else if constexpr (std::is_integral_v<T>) {
      bits = static_cast<std::uint64_t>(value);
      return kTraceUnsigned;
    } else if constexpr (std::is_floating_point_v<T>) {
      double d = static_cast<double>(value);
      std::memcpy(&bits, &d, sizeof d);
      return kTraceDouble;
    } else if constexpr (std::is_convertible_v<const T&, std::string_view> ||
                         requires(std::ostream& os, const T& x) { os << x; }) {
      return kTraceText;  // printed by format_value
    } else {
      return kTraceNone;
    }
  }
  bool format_value(const void* v, std::string& out) const override {
    const T& value = *static_cast<const T*>(v);
    if constexpr (std::is_same_v<T, bool>) {
      out = value ? "true" : "false";
      return true;
    } else if constexpr (std::is_integral_v<T> || std::is_floating_point_v<T>) {
      out = std::to_string(value);
      return true;
    } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
      out = std::string(std::string_view(value));
      return true;
    } else if constexpr (requires(std::ostream& os, const T& x) { os << x; }) {
      out = stream_text([](std::ostream& os, const void* p) { os << *static_cast<const T*>(p); },
                        v);
      return true;
    } else {
      return false;
    }
  }

 private:
  std::unique_ptr<T[]> buf_;  // not std::vector: vector<bool> has no addressable slots
};

/// What the three channel handle types share: a reference to the state.
template <class T>
class ChanHandle {
 public:
  /// Buffered values now (a moment's snapshot). Go: `len(ch)`.
  std::size_t len() const noexcept { return state_ ? state_->len() : 0; }
  /// Capacity. Go: `cap(ch)`.
  std::size_t cap() const noexcept { return state_ ? state_->cap() : 0; }
  /// True for the zero-value (nil) channel.
  bool is_nil() const noexcept { return state_ == nullptr; }
  /// Channels compare equal when they are the same channel, as in Go.
  friend bool operator==(const ChanHandle& a, const ChanHandle& b) noexcept {
    return a.state_ == b.state_;
  }

  /// @cond GOC_INTERNAL
  ChanBase* core() const noexcept { return state_.get(); }
  /// @endcond

 protected:
  ChanHandle() = default;
  explicit ChanHandle(std::shared_ptr<ChanState<T>> s) : state_(std::move(s)) {}

  void do_send(T value, const SourceLocation& where) const {
    chan_send(state_.get(), &value, true, where);
  }
  std::pair<T, bool> do_recv(const SourceLocation& where) const {
    std::pair<T, bool> r{};
    chan_recv(state_.get(), &r.first, &r.second, true, where);
    return r;
  }
  void do_close(const SourceLocation& where) const { chan_close(state_.get(), where); }

  std::shared_ptr<ChanState<T>> state_;
  template <class U> friend class goc::Channel;
  template <class U> friend class goc::SendChan;
  template <class U> friend class goc::RecvChan;
};

/// Range-for support: receives until the channel is closed and drained.
template <class T>
class RecvIterator {
 public:
  struct End {};
  RecvIterator(ChanBase* c, const SourceLocation& where) : chan_(c), where_(where) {
    advance();
  }
  T operator*() { return std::move(*value_); }
  RecvIterator& operator++() {
    advance();
    return *this;
  }
  friend bool operator==(const RecvIterator& it, End) noexcept { return !it.value_.has_value(); }

 private:
  void advance() {
    T v{};
    bool ok = false;
    chan_recv(chan_, &v, &ok, true, where_);
    if (ok) value_.emplace(std::move(v)); else value_.reset();
  }
  ChanBase* chan_;
  SourceLocation where_;
  std::optional<T> value_;
};

}  // namespace detail

/// A channel of T: Go's `chan T`.
///
/// Copies share one channel (reference semantics, like Go's chan values), so
/// capture a Channel by value in a goroutine's lambda. A default-constructed
/// Channel is nil, like Go's zero value `var ch chan T`; make one with
/// make_chan<T>(capacity).
///
/// Blocking: with capacity 0, send blocks until a receiver takes the value (a
/// rendezvous) and recv blocks until a sender offers one. With capacity N the
/// buffer holds exactly N values; send blocks only when it is full and recv
/// only when it is empty. Parked senders and receivers are served in FIFO
/// order; close() wakes them all.
///
/// Panics: `send on closed channel` (also for a sender parked when close
/// happens), `close of closed channel`, `close of nil channel`.
///
/// Memory ordering (Go's memory model): a send happens before the receive
/// that gets its value completes; a close happens before a receive that
/// returns because of it; on an unbuffered channel a receive happens before
/// the matching send completes; on capacity C the k-th receive happens before
/// the (k+C)-th send completes. ThreadSanitizer sees all of these.
///
/// Lifetime: the channel lives while any handle (or view) refers to it.
///
/// T must be default-constructible (Go's zero value) and movable; move-only
/// types such as std::unique_ptr work, and so does goc::Empty.
///
/// Go equivalent: `ch := make(chan T, n)`; `ch <- v`; `v := <-ch`;
/// `v, ok := <-ch`; `close(ch)`; `for v := range ch`.
/// Under ThreadSanitizer the channel's internal lock is invisible: only the
/// edges above order anything, so two sends on one channel stay unordered and
/// their races are reported, as Go's race detector does.
///
/// len(): the number of values in the buffer, as Go defines it. A receive
/// from a full buffer with a parked sender takes the head and puts that
/// sender's value in the freed slot in one step, so len() stays at cap()
/// throughout; a concurrent len() never sees a dip the buffer never had.
///
/// Blocking: a goroutine that must wait leaves its thread, which runs
/// another goroutine; the goroutine that wakes it usually runs it next on its
/// own thread, so a hand-off between two goroutines is two switches of
/// stacks, not a wake-up of another thread (see goc/goroutine.hpp); main is
/// such a goroutine from its first wait on. A thread not started by go() (a
/// std::thread) that must wait first spins for about as long as a futex
/// wake-up costs on this machine (Parker in goc/detail/sched.hpp), then
/// sleeps. A goroutine blocked for long uses no CPU.
///
/// Differences from Go: under ThreadSanitizer every goroutine is an OS
/// thread, and a parked operation costs a futex wake-up (after the same
/// bounded spin). On a full or empty buffer such a thread first waits,
/// yielding the core, before joining the channel's queue: until then the
/// goroutine dump shows it running, and the deadlock detector does not
/// count it as blocked.
///
///     auto ch = goc::make_chan<int>();          // unbuffered
///     goc::go([=] { ch.send(42); });
///     int v = ch.recv();                        // 42
///     auto [w, ok] = ch.recv_ok();              // blocks: nobody sends again
template <class T>
class Channel : public detail::ChanHandle<T> {
 public:
  /// The nil channel.
  Channel() = default;

  /// Sends `value`. Blocks as described above. Go: `ch <- value`.
  void send(T value, SourceLocation where = SourceLocation::current()) const {
    this->do_send(std::move(value), where);
  }
  /// Receives a value; T{} once the channel is closed and drained. Go: `<-ch`.
  T recv(SourceLocation where = SourceLocation::current()) const {
    return this->do_recv(where).first;
  }
  /// Receives {value, true}, or {T{}, false} once closed and drained.
  /// Go: `v, ok := <-ch`.
  std::pair<T, bool> recv_ok(SourceLocation where = SourceLocation::current()) const {
    return this->do_recv(where);
  }
  /// Closes the channel: no more values will be sent. Go: `close(ch)`.
  void close(SourceLocation where = SourceLocation::current()) const { this->do_close(where); }

  /// `for (auto v : ch)`: Go's `for v := range ch`.
  detail::RecvIterator<T> begin(SourceLocation where = SourceLocation::current()) const {
    return detail::RecvIterator<T>(this->core(), where);
  }
  /// The end of the range-for that begin() starts.
  typename detail::RecvIterator<T>::End end() const { return {}; }

 private:
  explicit Channel(std::shared_ptr<detail::ChanState<T>> s) : detail::ChanHandle<T>(std::move(s)) {}
  template <class U> friend Channel<U> make_chan(std::size_t, SourceLocation);
};

/// Makes a channel with room for `capacity` buffered values (0: unbuffered).
/// Go: `make(chan T, capacity)`. `where` (the call) names the channel in
/// traces and schedule reports: "c2 (made at pool.cpp:40)".
template <class T>
Channel<T> make_chan(std::size_t capacity = 0, SourceLocation where = SourceLocation::current()) {
  auto state = std::make_shared<detail::ChanState<T>>(capacity);
  state->made_file_ = where.file_name();
  state->made_line_ = where.line();
  // Traced or scheduled: number the channel now, in the order channels are made.
  if (detail::hooks()) detail::chan_id(state.get());
  return Channel<T>(std::move(state));
}

/// A send-only view of a channel: Go's `chan<- T`. Receiving does not compile.
/// Made implicitly from a Channel<T>. Closing is allowed, as in Go: the
/// sending side is the side that closes.
template <class T>
class SendChan : public detail::ChanHandle<T> {
 public:
  SendChan() = default;
  /// The send side of `ch`; implicit, as Go converts `chan T` to `chan<- T`.
  SendChan(const Channel<T>& ch) : detail::ChanHandle<T>(ch.state_) {}  // NOLINT: implicit like Go
  /// Go: `ch <- value`.
  void send(T value, SourceLocation where = SourceLocation::current()) const {
    this->do_send(std::move(value), where);
  }
  /// Go: `close(ch)`.
  void close(SourceLocation where = SourceLocation::current()) const { this->do_close(where); }
};

/// A receive-only view of a channel: Go's `<-chan T`. Sending and closing do
/// not compile. Made implicitly from a Channel<T>.
template <class T>
class RecvChan : public detail::ChanHandle<T> {
 public:
  RecvChan() = default;
  /// The receive side of `ch`; implicit, as Go converts `chan T` to `<-chan T`.
  RecvChan(const Channel<T>& ch) : detail::ChanHandle<T>(ch.state_) {}  // NOLINT: implicit like Go
  /// Go: `<-ch`.
  T recv(SourceLocation where = SourceLocation::current()) const {
    return this->do_recv(where).first;
  }
  /// Go: `v, ok := <-ch`.
  std::pair<T, bool> recv_ok(SourceLocation where = SourceLocation::current()) const {
    return this->do_recv(where);
  }
  /// Go: `for v := range ch`.
  detail::RecvIterator<T> begin(SourceLocation where = SourceLocation::current()) const {
    return detail::RecvIterator<T>(this->core(), where);
  }
  /// The end of the range-for that begin() starts.
  typename detail::RecvIterator<T>::End end() const { return {}; }
};

}  // namespace goc
