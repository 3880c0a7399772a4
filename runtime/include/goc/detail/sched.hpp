// goc/detail/sched.hpp: the runtime's internals shared by every primitive.
// Not part of the student-facing API; read it to see how blocking works.
//
// Every blocking operation follows one protocol, which is what lets the runtime
// detect a whole-program deadlock exactly:
//   1. The goroutine records where and why it blocks (its G's state).
//   2. While still holding the lock that protects the queue it joined, it calls
//      park_begin(): the global "blocked" count goes up by one.
//   3. Whoever removes it from that queue to wake it calls unpark_count()
//      before waking it: the count goes down on its behalf.
// So the count never includes a goroutine that can run, and the last goroutine
// to block sees blocked == live and reports the deadlock. A goroutine may wait
// briefly before step 1 (spinning or yielding, see channel.cpp); until it has
// joined a queue it is running as far as the count and the dump are concerned.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>
#include "goc/detail/source_location.hpp"
#include <type_traits>
#include <utility>

namespace goc::detail {

class ChanBase;

/// What a goroutine is doing, in the words Go's goroutine dump uses.
enum class GState : std::uint8_t {
  running,
  runnable,
  chan_send,
  chan_receive,
  chan_send_nil,
  chan_receive_nil,
  select,
  select_no_cases,
  waitgroup_wait,
  mutex_lock,
  sleep,
};

/// Go's name for a state, e.g. "chan receive".
const char* state_name(GState s) noexcept;

/// One goroutine's record: identity, origin and what it is blocked on.
/// Fields read by other threads (dumps) are relaxed atomics.
struct G {
  std::uint64_t id = 0;
  const char* created_file = "";
  std::uint32_t created_line = 0;
  bool is_main = false;
  std::atomic<GState> state{GState::runnable};
  std::atomic<const char*> blocked_file{nullptr};
  std::atomic<std::uint32_t> blocked_line{0};
  G* prev = nullptr;  // registry list, guarded by the registry lock
  G* next = nullptr;
};

/// The calling thread's goroutine record (created on first use for threads
/// the runtime did not start, e.g. main or a std::thread).
G* current_g();
/// A scheduled run's stack switch: the goroutine now running on this thread.
void set_current_g(G* g) noexcept;

/// Marks the current goroutine as blocked in `s` at `where`, on `chan` if
/// it waits for a channel (the trace and the schedule report name it).
void set_blocked_state(GState s, const SourceLocation& where,
                       const ChanBase* chan = nullptr) noexcept;
/// The channel the calling thread's goroutine last blocked on, as
/// set_blocked_state gave it (nullptr when running or blocked elsewhere).
const ChanBase* blocked_chan() noexcept;
/// Marks the current goroutine as running again. `woken_at`: the waker's
/// trace reading of when the wait ended (a channel's Waiter::ts), or 0.
void set_running_state(std::uint64_t woken_at = 0) noexcept;

/// Step 2 of the protocol: call while holding the queue's lock, after joining it.
void park_begin() noexcept;
/// Step 3: called by the waker, once per goroutine it wakes.
void unpark_count() noexcept;
/// A timer is pending (time_after, sleep_for): no deadlock can be declared.
void timer_begin() noexcept;
void timer_end() noexcept;

/// Parks the current goroutine forever (nil channel, empty select). Counts as
/// blocked; the deadlock detector fires if nothing else can run.
[[noreturn]] void block_forever(GState s, const SourceLocation& where);

/// Prints `fatal error: <message>` and exits with status 2, as Go does.
[[noreturn]] void fatal(const char* message);

/// A one-shot wake-up flag for one parked goroutine. wake() may be called
/// before or after park(); both orders work.
///
/// How park() waits, on a goroutine's fiber (processors.cpp; main becomes
/// one at its first park): the fiber leaves its thread at once, and wake()
/// makes it runnable again, next on the waker's thread. Otherwise (a thread
/// not started by go(), or any goroutine under ThreadSanitizer): it spins for as long as parking would cost, then sleeps
/// on a futex (the 2-competitive rule: a wait never costs more than about
/// twice the cheaper of spinning and parking). The park cost is measured once
/// per process, on the first park, by waking a thread asleep on a futex and
/// timing its return (park_cost_ns()); the spin is that long, but at least 2 us and at most
/// 100 us. The first 4 us are a pure spin on the core; after that each look
/// also yields the core, so a partner that needs this core can run. So a
/// ping-pong between two goroutines on two cores never sleeps, and a
/// goroutine blocked for long sleeps after at most 100 us and then uses no CPU.
///
/// Memory order: wake() is a release and park() returns after an acquire of
/// the same word, so everything before wake() happens before park() returns.
class Parker {
 public:
  void park() noexcept;
  void wake() noexcept;
  /// The same, never taking turns (goc/detail/schedule.hpp): for the turns
  /// themselves and for pool threads that run no goroutine. With `spin`
  /// false it sleeps at once: a goroutine waiting for its turn in a
  /// scheduled run has nothing to gain from spinning (exactly one goroutine
  /// runs, and spinners would take the cores it and other programs need).
  void park_unscheduled(bool spin = true) noexcept;
  void wake_unscheduled() noexcept;
  void reset() noexcept { state_.store(kEmpty, std::memory_order_relaxed); }

 private:
  friend struct ScheduleAccess;
  friend struct ProcessorsAccess;
  // kFiberParked: a goroutine's fiber left its thread (waiter_: the fiber,
  // see processors.cpp).
  static constexpr std::uint32_t kEmpty = 0, kNotified = 1, kSleeping = 2, kFiberParked = 3;
  std::atomic<std::uint32_t> state_{kEmpty};
  G* owner_ = nullptr;  // in a scheduled run: the goroutine parked here
  void* waiter_ = nullptr;  // in a free run on fibers: see kFiberParked
};

/// What one park costs on this machine, in nanoseconds: how long a thread
/// asleep on a futex takes to run again once another (running) thread wakes
/// it, the median of a few dozen tries. Measured on the first call (a
/// millisecond or so), then cached.
std::int64_t park_cost_ns() noexcept;

/// How long a goroutine about to wait spins (and yields) before it sleeps:
/// park_cost_ns() clamped to [2 us, 100 us], or what set_spin_limit_ns() set.
std::int64_t spin_limit_ns() noexcept;

/// For benchmarks: makes Parker spin for `ns` nanoseconds before it sleeps
/// (0: sleep at once); a negative value restores the measured park cost.
void set_spin_limit_ns(std::int64_t ns) noexcept;

/// The lock inside each channel: a futex word that spins briefly before it
/// sleeps. A channel's critical sections are a few dozen instructions, so a
/// lock found taken is almost always free again within a microsecond;
/// std::mutex would instead put the thread to sleep at once, and sleeping
/// and waking cost two system calls and microseconds of latency on every
/// contended operation. Same interface as std::mutex (BasicLockable), and
/// the same ordering (lock acquires what the last unlock released); under
/// ThreadSanitizer it is only ever taken blind (tsan::BlindLock).
class SpinMutex {
 public:
  void lock() noexcept {
    if (!try_lock()) lock_slow();
  }
  bool try_lock() noexcept {
    std::uint32_t expected = kFree;
    return word_.compare_exchange_strong(expected, kLocked, std::memory_order_acquire,
                                         std::memory_order_relaxed);
  }
  void unlock() noexcept {
    if (word_.exchange(kFree, std::memory_order_release) == kLockedWithSleepers) wake_one();
  }

 private:
  static constexpr std::uint32_t kFree = 0, kLocked = 1, kLockedWithSleepers = 2;
  void lock_slow() noexcept;
  void wake_one() noexcept;
  std::atomic<std::uint32_t> word_{kFree};
};

/// A move-only type-erased `void()` callable (std::function needs copyable).
/// A callable of up to kInline bytes (a goroutine's lambda with a few
/// captures) is kept inside the Task, so starting a goroutine allocates no
/// memory for it; a larger one is kept on the heap.
class Task {
 public:
  Task() noexcept = default;
  template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, Task>>>
  explicit Task(F&& f) {
    using Fn = std::decay_t<F>;
    if constexpr (kFitsInline<Fn>) {
      ::new (static_cast<void*>(storage_)) Fn(std::forward<F>(f));
      ops_ = &kInlineOps<Fn>;
    } else {
      heap_ = new Fn(std::forward<F>(f));
      ops_ = &kHeapOps<Fn>;
    }
  }
  Task(Task&& other) noexcept { take(other); }
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      reset();
      take(other);
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() { reset(); }

  void operator()() { ops_->call(target()); }
  explicit operator bool() const noexcept { return ops_ != nullptr; }

 private:
  static constexpr std::size_t kInline = 48;
  template <class Fn>
  static constexpr bool kFitsInline = sizeof(Fn) <= kInline &&
                                      alignof(Fn) <= alignof(std::max_align_t) &&
                                      std::is_nothrow_move_constructible_v<Fn>;
  struct Ops {
    void (*call)(void* target);
    void (*destroy)(void* target) noexcept;
    void (*move_to)(void* from, void* to) noexcept;  // inline ones only
  };
  template <class Fn>
  static constexpr Ops kInlineOps = {
      [](void* t) { (*static_cast<Fn*>(t))(); },
      [](void* t) noexcept { static_cast<Fn*>(t)->~Fn(); },
      [](void* from, void* to) noexcept {
        ::new (to) Fn(std::move(*static_cast<Fn*>(from)));
        static_cast<Fn*>(from)->~Fn();
      }};
  template <class Fn>
  static constexpr Ops kHeapOps = {[](void* t) { (*static_cast<Fn*>(t))(); },
                                   [](void* t) noexcept { delete static_cast<Fn*>(t); },
                                   nullptr};

  void* target() noexcept { return ops_->move_to ? static_cast<void*>(storage_) : heap_; }
  void reset() noexcept {
    if (!ops_) return;
    ops_->destroy(target());
    ops_ = nullptr;
  }
  void take(Task& other) noexcept {
    ops_ = other.ops_;
    if (!ops_) return;
    if (ops_->move_to) ops_->move_to(other.storage_, storage_);
    else heap_ = other.heap_;
    other.ops_ = nullptr;
  }

  const Ops* ops_ = nullptr;
  union {
    alignas(std::max_align_t) unsigned char storage_[kInline];
    void* heap_;
  };
};

/// True when the goroutines of a free run are fibers on a few threads
/// (processors.cpp): the default outside ThreadSanitizer. GOC_GOROUTINES=threads,
/// read at start-up, gives every goroutine an OS thread of its own instead,
/// as ThreadSanitizer builds always do (so that it sees goroutines as threads).
bool fibers_on() noexcept;

/// Starts `task` on a goroutine: a fiber on the runtime's threads
/// (processors.cpp), or under ThreadSanitizer an OS thread of its own.
void spawn(Task task, const SourceLocation& where);

}  // namespace goc::detail
