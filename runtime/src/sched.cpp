// The goroutine registry, the threads behind go() when goroutines are
// threads (ThreadSanitizer, GOC_GOROUTINES=threads), parking, the deadlock
// detector and the way panics and fatal errors end the program. Goroutines
// as fibers are in processors.cpp.
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "goc/goroutine.hpp"
#include "goc/detail/schedule.hpp"
#include "goc/detail/trace.hpp"
#include "goc/panic.hpp"

#include "cpu_relax.hpp"
#include "futex.hpp"
#include "processors.hpp"
#include "recycler.hpp"
#include "tsan.hpp"

namespace goc::detail {

// dump_signal.cpp: SIGQUIT prints every goroutine; goroutine threads are named.
void install_quit_dump() noexcept;
void name_goroutine_thread(std::uint64_t id) noexcept;

const char* state_name(GState s) noexcept {
  switch (s) {
    case GState::running: return "running";
    case GState::runnable: return "runnable";
    case GState::chan_send: return "chan send";
    case GState::chan_receive: return "chan receive";
    case GState::chan_send_nil: return "chan send (nil chan)";
    case GState::chan_receive_nil: return "chan receive (nil chan)";
    case GState::select: return "select";
    case GState::select_no_cases: return "select (no cases)";
    case GState::waitgroup_wait: return "sync.WaitGroup.Wait";
    case GState::mutex_lock: return "sync.Mutex.Lock";
    case GState::sleep: return "sleep";
  }
  return "unknown";
}

namespace {

// ---------------------------------------------------------------------------
// Counters for the deadlock detector, packed in one word so that every change
// sees all three at once. Relaxed: the word orders itself (one modification
// order) and must not create happens-before edges Go would not have.
constexpr std::uint64_t kField = 21;
constexpr std::uint64_t kMask = (std::uint64_t{1} << kField) - 1;
constexpr std::uint64_t kLive = 1;
constexpr std::uint64_t kBlocked = kLive << kField;
constexpr std::uint64_t kTimers = kBlocked << kField;

// Everything the runtime keeps for the whole program. Never destroyed:
// goroutines may still run while static destructors do after main returns.
struct Runtime {
  std::atomic<std::uint64_t> counts{0};
  std::atomic<std::uint64_t> next_id{1};
  std::atomic<std::size_t> peak{0};
  std::atomic<std::size_t> max_live{2000};

  // Both locks are held for a few instructions by every go() and every
  // goroutine's end: SpinMutex spins where std::mutex would make a system call.
  SpinMutex registry_mu;  // guards the G list; a BlindLock (see tsan.hpp)
  G* head = nullptr;

  // The thread pool (unused under ThreadSanitizer, see spawn()).
  struct Worker;
  struct Pending {
    G* g;
    Task task;
  };
  SpinMutex pool_mu;              // guards the four fields below
  std::vector<Worker*> idle;      // parked workers, most recent last
  std::deque<Pending> run_queue;  // started goroutines no thread has taken yet
  std::size_t workers = 0;        // threads in the pool, busy or idle
  std::uint64_t taken = 0;        // goroutines taken from run_queue, ever
  // Asked once: hardware_concurrency() reads /sys on every call (a few
  // microseconds, as long as the rest of go() together).
  const std::size_t cores = std::max(2u, std::thread::hardware_concurrency());
  std::condition_variable_any monitor_cv;
  bool monitor_started = false;
};

Runtime& rt() {
  static Runtime* r = [] {
    auto* r = new Runtime;
    if (const char* env = std::getenv("GOC_MAX_GOROUTINES")) {
      long v = std::strtol(env, nullptr, 10);
      if (v > 0) r->max_live.store(static_cast<std::size_t>(v));
    }
    return r;
  }();
  return *r;
}

std::size_t live_of(std::uint64_t w) { return static_cast<std::size_t>(w & kMask); }
std::size_t blocked_of(std::uint64_t w) { return static_cast<std::size_t>((w >> kField) & kMask); }
std::size_t timers_of(std::uint64_t w) { return static_cast<std::size_t>(w >> (2 * kField)); }

[[noreturn]] void report_deadlock();

void check_deadlock(std::uint64_t w) {
  if (live_of(w) > 0 && blocked_of(w) == live_of(w) && timers_of(w) == 0) report_deadlock();
}

void registry_insert(G* g) {
  tsan::BlindLock lock(rt().registry_mu);
  g->next = rt().head;
  if (rt().head) rt().head->prev = g;
  rt().head = g;
}

void registry_erase(G* g) {
  tsan::BlindLock lock(rt().registry_mu);
  if (g->prev) g->prev->next = g->next; else rt().head = g->next;
  if (g->next) g->next->prev = g->prev;
}

void note_peak(std::size_t live) {
  std::size_t p = rt().peak.load(std::memory_order_relaxed);
  while (live > p && !rt().peak.compare_exchange_weak(p, live, std::memory_order_relaxed)) {
  }
}

G* new_g(const char* file, std::uint32_t line, bool is_main) {
  G* g = Recycler<G>::make();
  g->id = rt().next_id.fetch_add(1, std::memory_order_relaxed);
  g->created_file = file;
  g->created_line = line;
  g->is_main = is_main;
  g->state.store(GState::running, std::memory_order_relaxed);
  registry_insert(g);
  return g;
}

// A thread the runtime did not start (main, or a std::thread) gets a G the
// first time it asks; it counts as live until the thread ends. Main's never ends.
struct ForeignThread {
  G* g = nullptr;
  ~ForeignThread() {
    if (!g || g->is_main) return;
    registry_erase(g);
    std::uint64_t w = rt().counts.fetch_sub(kLive, std::memory_order_relaxed) - kLive;
    Recycler<G>::recycle(g);
    check_deadlock(w);
  }
};
thread_local ForeignThread foreign;
thread_local G* current = nullptr;

G* adopt_foreign_thread(bool is_main) {
  G* g = new_g(is_main ? "main" : "(thread not started by go)", 0, is_main);
  foreign.g = g;
  std::uint64_t w = rt().counts.fetch_add(kLive, std::memory_order_relaxed) + kLive;
  note_peak(live_of(w));
  return g;
}

// The main thread is goroutine 1 from before main() starts.
const bool main_registered = [] {
  current = adopt_foreign_thread(true);
  install_quit_dump();
  std::set_terminate([] {
    // An exception escaping main() (or anything else that terminates): report
    // it like Go's unrecovered panic.
    if (auto e = std::current_exception()) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        std::fprintf(stderr, "panic: %s\n\ngoroutine %llu [running]:\n", ex.what(),
                     static_cast<unsigned long long>(current ? current->id : 0));
      } catch (...) {
        std::fprintf(stderr, "panic: (unknown exception)\n");
      }
    } else {
      std::fprintf(stderr, "fatal error: std::terminate called\n");
    }
    std::fflush(stderr);
    std::fflush(stdout);  // what main printed before the panic stays, as in Go
    trace_flush();
    std::_Exit(2);
  });
  return true;
}();

std::string where_string(const char* file, std::uint32_t line) {
  if (!file) return "";
  if (line == 0) return file;
  return std::string(file) + ":" + std::to_string(line);
}

GoroutineInfo info_of(const G& g) {
  GState s = g.state.load(std::memory_order_relaxed);
  bool blocked = s != GState::running && s != GState::runnable;
  return GoroutineInfo{
      g.id, state_name(s), where_string(g.created_file, g.created_line),
      blocked ? where_string(g.blocked_file.load(std::memory_order_relaxed),
                             g.blocked_line.load(std::memory_order_relaxed))
              : std::string()};
}

[[noreturn]] void report_deadlock() {
  std::vector<GoroutineInfo> all = goroutines();
  std::string text = "fatal error: all goroutines are asleep - deadlock!\n\n" +
                     format_goroutines(all) + schedule_report();
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
  std::fflush(stdout);
  trace_flush();
  std::_Exit(2);
}

// ---------------------------------------------------------------------------
// Running goroutines.
[[noreturn]] void die_of_panic(G* g, const char* what) {
  std::string text = std::string("panic: ") + what + "\n\ngoroutine " + std::to_string(g->id) +
                     " [running]:\ncreated by go() at " +
                     where_string(g->created_file, g->created_line) + "\n" +
                     schedule_report();
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
  std::fflush(stdout);
  trace_flush();
  std::_Exit(2);
}

void run_goroutine(G* g, Task& task) {
  set_current_g(g);
  if (schedule_on()) schedule_begin();  // on its fiber, at its first turn
  if (trace_on()) trace_goroutine_start(g);
  try {
    task();
  } catch (const std::exception& e) {
    die_of_panic(g, e.what());
  } catch (...) {
    die_of_panic(g, "(unknown exception)");
  }
  task = Task();  // destroy captures while still counted as live
  if (trace_on()) trace_goroutine_end(g);  // while it still has its turn
  registry_erase(g);
  std::uint64_t w = rt().counts.fetch_sub(kLive, std::memory_order_relaxed) - kLive;
  if (schedule_on()) {
    check_deadlock(w);
    schedule_exit(g);  // passes the turn on for good; g is deleted once left
  }
  current = nullptr;
  Recycler<G>::recycle(g);
  check_deadlock(w);
}

// Under ThreadSanitizer every goroutine gets a thread of its own, with a
// 2 MiB stack instead of the default 8 MiB. The C library keeps at most 40 MiB
// of finished threads' stacks for reuse, so 8 MiB stacks are mapped and
// unmapped over and over, and ThreadSanitizer then drops and rebuilds their
// shadow memory: starting and ending a thread costs about 40% less CPU with
// 2 MiB. Not less: ThreadSanitizer's thread-local state (about 770 KiB) is
// carved from the same stack, and a goroutine should keep over 1 MiB.
constexpr std::size_t kGoroutineStackBytes = std::size_t{2} << 20;

struct ThreadStart {
  G* g;
  Task task;
};

void* goroutine_thread(void* arg) {
  std::unique_ptr<ThreadStart> start(static_cast<ThreadStart*>(arg));
  name_goroutine_thread(start->g->id);
  run_goroutine(start->g, start->task);
  return nullptr;
}

// Starts a detached thread that runs `task` as goroutine `g`; returns 0 or
// pthread_create's error number.
int start_goroutine_thread(G* g, Task task) {
  auto start = std::make_unique<ThreadStart>(ThreadStart{g, std::move(task)});
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, kGoroutineStackBytes);
  pthread_t thread;
  int err = pthread_create(&thread, &attr, goroutine_thread, start.get());
  pthread_attr_destroy(&attr);
  if (err == 0) start.release();  // the thread owns it now
  return err;
}

#ifndef GOC_TSAN
// Outside ThreadSanitizer goroutines run on a pool of threads:
// - go() hands the goroutine to an idle thread if there is one; otherwise it
//   queues it and starts a new thread while there are fewer than the cores;
// - a thread that finishes a goroutine takes the next queued one, or parks;
// - a monitor thread starts one more thread whenever queued goroutines made no
//   progress for a moment (their threads are all blocked), so a started
//   goroutine always gets a thread, as Go's sysmon guarantees.
constexpr std::size_t kMaxIdleThreads = 64;
constexpr auto kMonitorPeriod = std::chrono::microseconds(200);

struct Runtime::Worker {
  Parker parker;
  G* g = nullptr;
  Task task;
};

void start_worker_locked(Runtime& r);

void worker_loop(Runtime::Worker* self) {
  Runtime& r = rt();
  for (;;) {
    if (self->g) run_goroutine(self->g, self->task);
    self->g = nullptr;
    self->parker.reset();
    {
      std::lock_guard lock(r.pool_mu);
      if (!r.run_queue.empty()) {
        self->g = r.run_queue.front().g;
        self->task = std::move(r.run_queue.front().task);
        r.run_queue.pop_front();
        ++r.taken;
        continue;
      }
      if (r.idle.size() >= kMaxIdleThreads) {
        --r.workers;
        break;
      }
      r.idle.push_back(self);
    }
    self->parker.park_unscheduled();  // woken by spawn() with a new g and task
  }
  delete self;
}

void monitor_loop() {
  Runtime& r = rt();
  std::unique_lock lock(r.pool_mu);
  for (;;) {
    r.monitor_cv.wait(lock, [&] { return !r.run_queue.empty(); });
    std::uint64_t taken_before = r.taken;
    r.monitor_cv.wait_for(lock, kMonitorPeriod);
    if (!r.run_queue.empty() && r.taken == taken_before) start_worker_locked(r);
  }
}

void start_worker_locked(Runtime& r) {
  auto* worker = new Runtime::Worker;
  try {
    std::thread(worker_loop, worker).detach();  // it takes from the run queue
    ++r.workers;
  } catch (const std::system_error&) {
    delete worker;  // out of threads for now: the monitor tries again
  }
}

void pool_spawn(G* g, Task task) {
  Runtime& r = rt();
  Runtime::Worker* worker = nullptr;
  {
    std::lock_guard lock(r.pool_mu);
    if (!r.idle.empty()) {
      worker = r.idle.back();
      r.idle.pop_back();
    } else {
      bool was_empty = r.run_queue.empty();
      r.run_queue.push_back(Runtime::Pending{g, std::move(task)});
      if (r.workers < r.cores) start_worker_locked(r);
      if (!r.monitor_started) {
        r.monitor_started = true;
        std::thread(monitor_loop).detach();
      } else if (was_empty) {
        r.monitor_cv.notify_one();
      }
      return;
    }
  }
  worker->g = g;
  worker->task = std::move(task);
  worker->parker.wake_unscheduled();
}
#endif

}  // namespace

// ---------------------------------------------------------------------------
// Untracked: in a scheduled run the goroutines share main's thread (tsan.hpp).
GOC_TSAN_UNTRACKED void set_current_g(G* g) noexcept { current = g; }
GOC_TSAN_UNTRACKED G* current_g_if_any() noexcept { return current; }

GOC_TSAN_UNTRACKED G* current_g() {
  if (current) return current;
  current = adopt_foreign_thread(false);
  return current;
}

// The channel the running goroutine blocks on, for the schedule report: read
// only by that goroutine (its schedule_park), so per thread, and untracked
// like `current`. The G of every goroutine stays as small as it was.
thread_local const ChanBase* current_blocked_chan = nullptr;
GOC_TSAN_UNTRACKED const ChanBase* blocked_chan() noexcept { return current_blocked_chan; }
GOC_TSAN_UNTRACKED void set_blocked_chan(const ChanBase* chan) noexcept {
  current_blocked_chan = chan;
}

void set_blocked_state(GState s, const SourceLocation& where, const ChanBase* chan) noexcept {
  G* g = current_g();
  g->blocked_file.store(where.file_name(), std::memory_order_relaxed);
  g->blocked_line.store(where.line(), std::memory_order_relaxed);
  set_blocked_chan(chan);
  g->state.store(s, std::memory_order_relaxed);
  if (trace_on()) {
    try {
      trace_block(s, where, chan);
    } catch (...) {  // out of memory: the event is lost, the program goes on
    }
  }
}

void set_running_state(std::uint64_t woken_at) noexcept {
  G* g = current_g();
  g->state.store(GState::running, std::memory_order_relaxed);
  set_blocked_chan(nullptr);
  if (trace_on()) {
    try {
      trace_unblock(woken_at);
    } catch (...) {  // as above
    }
  }
}

void park_begin() noexcept {
  check_deadlock(rt().counts.fetch_add(kBlocked, std::memory_order_relaxed) + kBlocked);
}
void unpark_count() noexcept { rt().counts.fetch_sub(kBlocked, std::memory_order_relaxed); }
void timer_begin() noexcept { rt().counts.fetch_add(kTimers, std::memory_order_relaxed); }
void timer_end() noexcept {
  check_deadlock(rt().counts.fetch_sub(kTimers, std::memory_order_relaxed) - kTimers);
}

void block_forever(GState s, const SourceLocation& where) {
  set_blocked_state(s, where);
  park_begin();
  Parker never;
  for (;;) never.park();
}

void fatal(const char* message) {
  std::fprintf(stderr, "fatal error: %s\n\ngoroutine %llu [running]:\n", message,
               static_cast<unsigned long long>(current_g()->id));
  std::fflush(stderr);
  std::fflush(stdout);
  trace_flush();
  std::_Exit(2);
}

// ---------------------------------------------------------------------------
// How long a Parker spins before it sleeps.
//
// A parked goroutine waits for one event (a partner's hand-off, an unlock, a
// done()). If it sleeps on the futex, the event costs a futex wake and the
// sleeper's trip back onto a core: the park cost, which is a few microseconds
// on an idle bare-metal machine and tens of microseconds on a busy virtual
// one. If it spins instead, it burns the core for as long as the wait lasts.
// The classic 2-competitive rule: spin for as long as a park would cost, then
// park. A wait shorter than the park cost (a ping-pong between two goroutines
// on two cores: well under a microsecond) never parks, and a long wait costs
// at most twice what parking at once would have.
//
// The park cost is measured, not assumed: the first time a goroutine must
// wait, a helper thread sleeps on a futex a few dozen times and this thread
// wakes it and times how long it takes to run again (measure_park_cost). That
// wake-to-running time is what a parked partner adds to a hand-off. Cached for
// the life of the process; the spin is clamped to [kMinSpinNs, kMaxSpinNs] so
// that a freak measurement can neither disable spinning nor burn a core long.
constexpr std::int64_t kMinSpinNs = 2'000;
constexpr std::int64_t kMaxSpinNs = 100'000;
namespace {

// What parking costs is mostly the sleeper's trip back onto a core once it is
// woken, while the waker goes on running (as a sender does after it wakes a
// receiver). So: a partner thread sleeps on a futex; this thread wakes it and
// waits, without sleeping, for the partner to say it runs again; a few dozen
// times. Returns the median of those wake-to-running times, in nanoseconds.
std::int64_t measure_park_cost() noexcept {
  constexpr int kWarmup = 3, kTrips = 31;
  // The partner is detached and shares the two words by ownership: main may
  // return while a goroutine measures, and a joinable thread then counts as
  // leaked (ThreadSanitizer reports it).
  struct Words {
    std::atomic<std::uint32_t> ping{0}, pong{0};
  };
  auto words = std::make_shared<Words>();
  std::atomic<std::uint32_t>& ping = words->ping;
  std::atomic<std::uint32_t>& pong = words->pong;
  try {
    std::thread([words] {
      for (std::uint32_t i = 0; i < kWarmup + kTrips; ++i) {
        while (words->ping.load(std::memory_order_acquire) == i) futex_wait(&words->ping, i);
        words->pong.store(i + 1, std::memory_order_release);
      }
    }).detach();
  } catch (const std::system_error&) {
    return kMaxSpinNs / 4;  // no thread to measure with: assume a busy machine
  }
  std::int64_t trips[kTrips];
  for (std::uint32_t i = 0; i < kWarmup + kTrips; ++i) {
    // Give the partner time to fall asleep again (it has nothing else to do).
    for (int k = 0; k < 200; ++k) cpu_relax();
    std::int64_t t0 = now_ns();
    ping.store(i + 1, std::memory_order_release);
    futex_wake(&ping);
    for (int spins = 0; pong.load(std::memory_order_acquire) == i; ++spins) {
      cpu_relax();
      if (spins % 64 == 63) std::this_thread::yield();  // it may need this core
    }
    if (i >= kWarmup) trips[i - kWarmup] = now_ns() - t0;
  }
  std::nth_element(trips, trips + kTrips / 2, trips + kTrips);
  return trips[kTrips / 2];
}

std::atomic<std::int64_t> measured_park_cost{-1};  // -1: not yet measured
std::atomic<std::int64_t> spin_override{-1};       // -1: none (set_spin_limit_ns)

}  // namespace

std::int64_t park_cost_ns() noexcept {
  std::int64_t cost = measured_park_cost.load(std::memory_order_relaxed);
  if (cost >= 0) return cost;
  // The once_flag is blind to ThreadSanitizer: goroutines that wait here for
  // the measurement must not be ordered after the goroutine that makes it
  // (Go would not order them). The measurement itself is tracked as usual.
  static std::once_flag once;
  tsan::ignore_sync_begin();
  std::call_once(once, [] {
    tsan::ignore_sync_end();
    std::int64_t cost = measure_park_cost();
    measured_park_cost.store(cost, std::memory_order_relaxed);
    tsan::ignore_sync_begin();
  });
  tsan::ignore_sync_end();
  return measured_park_cost.load(std::memory_order_relaxed);
}

void set_spin_limit_ns(std::int64_t ns) noexcept {
  spin_override.store(ns, std::memory_order_relaxed);
}

std::int64_t spin_limit_ns() noexcept {
  std::int64_t forced = spin_override.load(std::memory_order_relaxed);
  if (forced >= 0) return forced;
  return std::clamp(park_cost_ns(), kMinSpinNs, kMaxSpinNs);
}

// A channel's critical section is a few dozen instructions: ~3 us of spinning
// covers it many times over, unless the holder lost its core.
const SpinBudget kLockWait{100, 2};

void Parker::park() noexcept {
  if (schedule_on() && schedule_park(*this)) return;
  if (fibers_park(*this)) return;
  park_unscheduled();
}

void Parker::wake() noexcept {
  if (schedule_on() && schedule_wake(*this)) return;
  wake_unscheduled();
}

void Parker::park_unscheduled(bool spin) noexcept {
  auto notified = [&] { return state_.load(std::memory_order_acquire) == kNotified; };
  if (notified() || (spin && spin_for(spin_limit_ns(), notified))) return;
  std::uint32_t expected = kEmpty;
  if (!state_.compare_exchange_strong(expected, kSleeping, std::memory_order_acquire,
                                      std::memory_order_acquire))
    return;  // already notified
  while (state_.load(std::memory_order_acquire) != kNotified) futex_wait(&state_, kSleeping);
}

void Parker::wake_unscheduled() noexcept {
  // The Parker lives in the sleeper's frame, made there without any edge to
  // us (see tsan.hpp), so the access is untracked; the release still orders
  // everything before wake() before park() returns.
  tsan::ignore_accesses_begin();
  std::uint32_t s = state_.load(std::memory_order_acquire);
  for (;;) {
    // A parked fiber named itself before its state said so (release): read
    // the name before the exchange, as once the state is kNotified the
    // Parker may be gone.
    void* waiter = s == kFiberParked ? waiter_ : nullptr;
    if (state_.compare_exchange_weak(s, kNotified, std::memory_order_acq_rel,
                                     std::memory_order_acquire)) {
      if (s == kSleeping) futex_wake(&state_);
      else if (s == kFiberParked) fibers_wake_fiber(waiter);
      break;
    }
  }
  tsan::ignore_accesses_end();
}

void SpinMutex::lock_slow() noexcept {
  auto acquired = [&] { return word_.load(std::memory_order_relaxed) == kFree && try_lock(); };
  if (spin_briefly(kLockWait, acquired)) return;
  // Sleep until the word is free, marking it "sleepers may exist" so that
  // unlock() knows to wake one; whoever wakes takes it marked that way too,
  // as it cannot tell whether others still sleep.
  note_runtime_lock_sleep(true);
  while (word_.exchange(kLockedWithSleepers, std::memory_order_acquire) != kFree)
    futex_wait(&word_, kLockedWithSleepers);
  note_runtime_lock_sleep(false);
}

void SpinMutex::wake_one() noexcept { futex_wake(&word_); }

void spawn(Task task, const SourceLocation& where) {
  const std::uint8_t h = hooks();
  if (h & kHookSchedule) schedule_point("go", where);
  Runtime& r = rt();
  current_g();  // a foreign caller is live before its child exists
  std::uint64_t w = r.counts.fetch_add(kLive, std::memory_order_relaxed) + kLive;
  std::size_t live = live_of(w);
  std::size_t limit = r.max_live.load(std::memory_order_relaxed);
  if (live > limit) {
    r.counts.fetch_sub(kLive, std::memory_order_relaxed);
    throw Panic("go: more than " + std::to_string(limit) +
                " live goroutines. Starting a goroutine per item is the uncontrolled fan-out "
                "pitfall: start a fixed number of workers that take items from a channel (a "
                "bounded worker pool). If this many really are needed, raise the limit with "
                "goc::set_max_goroutines() or GOC_MAX_GOROUTINES.");
  }
  note_peak(live);
  G* g = new_g(where.file_name(), where.line(), false);
  if (h & kHookTrace) trace_go(g->id, where);

  // In a scheduled run a fiber on main's thread (goc/detail/schedule.hpp);
  // in a free run a fiber on the runtime's threads (processors.cpp).
  // Under ThreadSanitizer a fresh thread per goroutine: a reused thread would
  // order goroutines that Go leaves unordered, and ThreadSanitizer would miss
  // their races.
  int err = 0;
  if (schedule_on()) {
    auto on_fiber = [g, t = std::move(task)]() mutable { run_goroutine(g, t); };
    if (schedule_spawn(g, Task(std::move(on_fiber)))) return;
    err = ENOMEM;
  } else if (fibers_on()) {
    fibers_spawn(g, std::move(task), run_goroutine);
    return;
  } else {
#ifndef GOC_TSAN
    pool_spawn(g, std::move(task));
    return;
#endif
    err = start_goroutine_thread(g, std::move(task));
    if (err == 0) return;
  }
  registry_erase(g);
  Recycler<G>::recycle(g);
  r.counts.fetch_sub(kLive, std::memory_order_relaxed);
  throw Panic(std::string("go: cannot start the goroutine: ") + std::strerror(err));
}

}  // namespace goc::detail

// ---------------------------------------------------------------------------
// The public introspection API.
namespace goc {

using detail::rt;

std::size_t num_goroutine() noexcept {
  return detail::live_of(rt().counts.load(std::memory_order_relaxed));
}
std::size_t peak_goroutines() noexcept { return rt().peak.load(std::memory_order_relaxed); }
void reset_peak_goroutines() noexcept {
  rt().peak.store(num_goroutine(), std::memory_order_relaxed);
}
std::size_t max_goroutines() noexcept { return rt().max_live.load(std::memory_order_relaxed); }
void set_max_goroutines(std::size_t limit) noexcept {
  rt().max_live.store(limit, std::memory_order_relaxed);
}
std::uint64_t next_goroutine_id() noexcept {
  return rt().next_id.load(std::memory_order_relaxed);
}
std::uint64_t goroutine_id() { return detail::current_g()->id; }

void yield(SourceLocation where) {
  if (detail::schedule_on()) {
    detail::schedule_point("yield", where);
    return;
  }
  if (!detail::fibers_yield(where)) std::this_thread::yield();
}

std::vector<GoroutineInfo> goroutines() {
  std::vector<GoroutineInfo> out;
  {
    detail::tsan::BlindLock lock(rt().registry_mu);
    for (detail::G* g = rt().head; g; g = g->next) out.push_back(detail::info_of(*g));
  }
  std::sort(out.begin(), out.end(),
            [](const GoroutineInfo& a, const GoroutineInfo& b) { return a.id < b.id; });
  return out;
}

std::string format_goroutines(const std::vector<GoroutineInfo>& gs) {
  std::string s;
  for (const auto& g : gs) {
    s += "goroutine " + std::to_string(g.id) + " [" + g.state + "]:\n";
    if (!g.blocked_at.empty()) s += "    blocked at " + g.blocked_at + "\n";
    s += g.id == 1 ? "    main goroutine\n" : "    created by go() at " + g.created_at + "\n";
    s += "\n";
  }
  return s;
}

}  // namespace goc
