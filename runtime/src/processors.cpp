// Free runs on fibers (see processors.hpp): goroutines multiplexed on a few
// threads, with Go's scheduling rules where they matter for speed.
//
// Every goroutine is a fiber: a stack of its own and a saved context. A
// processor (Proc) is a thread that runs fibers: main's thread, once main is
// a fiber, and worker threads, as many as the cores in all (more when
// goroutines block their threads in calls the runtime cannot see). Each
// processor has a queue of runnable fibers and one "run next" slot.
//
// - A goroutine that blocks (a Parker of a channel, a Mutex, a WaitGroup, a
//   sleep) switches to its processor's own stack, which runs the next fiber:
//   a switch of stacks, tens of nanoseconds, instead of a futex sleep and a
//   wake-up of another thread, tens of microseconds on a busy virtual machine.
// - Whoever makes a goroutine runnable (a send to a parked receiver, an
//   unlock, a done()) puts it in its own processor's run-next slot, as Go's
//   ready() does: so two goroutines that hand values back and forth take
//   turns on one thread, and the hand-off costs two switches, not two
//   wake-ups. A goroutine pushed out of the slot goes to the queue.
// - Main's own stack is the thread's, but main is a goroutine like the
//   others: the first time it starts a goroutine or blocks, main's thread
//   takes a stack of its own for its scheduling loop and becomes one of the
//   processors, and from then on main is resumed, like any fiber, by
//   whichever processor has it (its stack is memory like any other).
// - An idle worker takes from the other processors' queues, spins for about
//   as long as a futex wake-up costs (Parker's 2-competitive rule), then
//   sleeps. A new goroutine, or one made runnable by a thread that is not a
//   processor, wakes a sleeping worker when none is spinning; one pushed out
//   of a run-next slot does not (see ready()).
// - A monitor thread looks every millisecond or so for processors that hold
//   runnable goroutines but have not switched since the last look (their
//   thread is busy in one goroutine, or blocked in a call the runtime cannot
//   see, like std::this_thread::sleep_for): it lets idle workers take even
//   their run-next goroutine, and starts one more worker when none is idle
//   and nobody takes them, so every runnable goroutine gets a thread, as
//   Go's sysmon guarantees (at once for a thread asleep in such a call,
//   after about 10 ms for one busy on its core).
//
// Differences from Go: no preemption. A goroutine that loops without a
// runtime call keeps its thread; the others move to other threads. And once
// it has blocked, main may go on on another thread: thread_local variables
// and std::this_thread::get_id() read in main can change across a blocking
// call, as they can in any goroutine.
#include "processors.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cpu_relax.hpp"
#include "fiber.hpp"
#include "futex.hpp"
#include "goc/detail/sched.hpp"
#include "goc/detail/trace.hpp"
#include "recycler.hpp"
#include "tsan.hpp"  // defines GOC_TSAN under ThreadSanitizer

namespace goc::detail {

G* current_g_if_any() noexcept;      // sched.cpp
void* trace_thread_buffer() noexcept;  // trace.cpp: the thread's event buffer, or a fiber's
void set_trace_thread_buffer(void* buffer) noexcept;

// Parker's private state, for the fiber paths only.
struct ProcessorsAccess {
  static std::atomic<std::uint32_t>& state(Parker& p) { return p.state_; }
  static void*& waiter(Parker& p) { return p.waiter_; }
  static constexpr std::uint32_t kEmpty = Parker::kEmpty, kNotified = Parker::kNotified,
                                 kFiberParked = Parker::kFiberParked;
};
using PA = ProcessorsAccess;

namespace {

struct GoFiber {
  G* g = nullptr;
  fiber::Context context;
  fiber::EhGlobals eh;
  void* stack = nullptr;  // taken when it first runs; none for main's, the main thread's own
  bool started = false;
  void* trace_buffer = nullptr;  // its own: events of goroutines do not mix
  Task task;
  void (*body)(G*, Task&) = nullptr;  // runs task as goroutine g (sched.cpp)
};

// A FIFO of runnable fibers that allocates only to grow and frees nothing
// while in use. The std::deque it replaces freed a block every 64 pops,
// under the processor's lock: a thief whose free waited for the C library's
// arena lock (held by main allocating goroutines) held that lock asleep, and
// main, readying its next goroutine, slept on it in turn (a spawn loop ran
// at half speed with both threads idle 40% of the time).
class RunQueue {
 public:
  RunQueue() : slots_(256) {}
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  void push_back(GoFiber* f) {
    if (size_ == slots_.size()) grow();
    slots_[(head_ + size_) & (slots_.size() - 1)] = f;
    ++size_;
  }
  GoFiber* pop_front() {
    GoFiber* f = slots_[head_];
    head_ = (head_ + 1) & (slots_.size() - 1);
    --size_;
    return f;
  }

 private:
  void grow() {  // doubles (the size stays a power of two, for the masks)
    std::vector<GoFiber*> bigger(slots_.size() * 2);
    for (std::size_t i = 0; i < size_; ++i) bigger[i] = slots_[(head_ + i) & (slots_.size() - 1)];
    slots_.swap(bigger);
    head_ = 0;
  }
  std::vector<GoFiber*> slots_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

// What a fiber asked its processor to do once it has left its stack: `yield`
// runs it next (main's first go()), `requeue` puts it behind the goroutines
// waiting (goc::yield()).
enum class After : std::uint8_t { nothing, park, yield, requeue, exit };

struct Proc {
  // Touched only by the processor's own thread.
  fiber::Context home;  // the thread's own stack, where the loop runs
  fiber::EhGlobals home_eh;
  void* home_trace = nullptr;
  GoFiber* running = nullptr;
  After after = After::nothing;
  Parker* parking = nullptr;
  std::vector<void*> stacks;  // finished fibers' stacks, for the next ones here
  // What this thread last saw of each other processor when it looked for
  // goroutines to take: its switch count, and when that changed (see
  // worth_stealing).
  struct Seen {
    std::uint64_t switches = ~std::uint64_t{0};
    std::int64_t since_ns = 0;
  };
  std::vector<Seen> seen;

  // Shared with thieves, the monitor and wakers.
  SpinMutex mu;               // guards runnext and queue
  GoFiber* runnext = nullptr;   // runs next: the goroutine this thread last made runnable
  RunQueue queue;               // others may take from here at any time
  std::atomic<std::uint32_t> queued{0};     // runnext and queue, for looks without the lock
  std::atomic<std::uint64_t> switches{0};   // fibers run so far: the monitor's sign of life
  std::atomic<std::uint64_t> taken{0};      // goroutines taken from it by others (steals)
  std::atomic<pid_t> tid{0};                // its thread, for the monitor's look in /proc
  std::atomic<bool> stale{false};           // set by the monitor: runnext may be taken too
  std::atomic<bool> on_runtime_lock{false};  // asleep on a SpinMutex: another thread holds it
  std::atomic<std::uint32_t> doorbell{0};   // futex word the idle thread sleeps on
  std::atomic<bool> sleeping{false};
};

constexpr std::size_t kMaxProcs = 1024;
constexpr std::size_t kStacksKept = 16;  // per processor, before fiber.cpp's shared spares
constexpr auto kMonitorBusyPeriod = std::chrono::milliseconds(1);
constexpr auto kMonitorIdlePeriod = std::chrono::milliseconds(5);
constexpr int kMonitorIdleLooks = 100;
constexpr int kMonitorHungryLooks = 10;  // about Go's 10 ms preemption quantum

struct Processors {
  const bool on = [] {
#ifdef GOC_TSAN
    return false;  // a thread per goroutine, for the race detector (see sched.cpp's spawn)
#else
    const char* v = std::getenv("GOC_GOROUTINES");
    return !(v && std::strcmp(v, "threads") == 0);
#endif
  }();
  const std::size_t cores = std::max(2u, std::thread::hardware_concurrency());

  // Every processor ever made, never freed: thieves and the monitor read the
  // array without a lock.
  std::atomic<Proc*> all[kMaxProcs] = {};
  std::atomic<std::size_t> count{0};

  SpinMutex pool_mu;         // guards the three below
  std::vector<Proc*> idle;   // sleeping workers
  std::size_t workers = 0;   // worker threads started
  bool monitor_started = false;
  std::atomic<int> spinning{0};  // workers spinning in search of work

  // Goroutines made runnable by threads that are no processor.
  SpinMutex global_mu;
  RunQueue global;
  std::atomic<std::uint32_t> global_queued{0};
  std::atomic<std::uint64_t> global_taken{0};
};

Processors& procs() {
  static Processors* p = new Processors;  // never destroyed: fibers may run after main
  return *p;
}

// The calling thread's processor. Reached through functions that are never
// inlined, so that no caller keeps the thread's address across a switch: a
// fiber may leave one thread and come back on another.
thread_local Proc* tls_proc = nullptr;
[[gnu::noinline]] Proc* my_proc() noexcept {
  asm volatile("" ::: "memory");
  return tls_proc;
}
[[gnu::noinline]] void set_my_proc(Proc* p) noexcept {
  tls_proc = p;
  p->tid.store(static_cast<pid_t>(::syscall(SYS_gettid)), std::memory_order_relaxed);
}

Proc* register_proc() {
  auto* p = new Proc;
  p->stacks.reserve(kStacksKept);  // so that keeping a stack never allocates
  std::size_t i = procs().count.fetch_add(1);
  if (i >= kMaxProcs) fatal("too many goroutine threads");
  procs().all[i].store(p);
  return p;
}

// Rings `p`'s doorbell: its thread stops waiting (at once, or at its next look).
void ring(Proc* p) {
  p->doorbell.store(1);
  if (p->sleeping.load()) futex_wake(&p->doorbell);
}

void start_processor_locked(Processors& ps);

// A sleeping worker starts looking for work, unless one is looking already.
void wake_a_worker() {
  Processors& ps = procs();
  if (ps.spinning.load() > 0) return;
  Proc* w = nullptr;
  {
    std::lock_guard lock(ps.pool_mu);
    if (!ps.idle.empty()) {
      w = ps.idle.back();
      ps.idle.pop_back();
    } else if (ps.workers < ps.cores) {
      start_processor_locked(ps);
    }
  }
  if (w) ring(w);
}

void push_global(GoFiber* f) {
  Processors& ps = procs();
  {
    std::lock_guard lock(ps.global_mu);
    ps.global.push_back(f);
  }
  ps.global_queued.fetch_add(1);
  wake_a_worker();
}

// `f` can run: into this thread's run-next slot, pushing the previous
// occupant to the queue, where idle workers find it.
void ready(GoFiber* f) {
  Proc* p = my_proc();
  if (!p) {
    push_global(f);
    return;
  }
  GoFiber* pushed;
  {
    std::lock_guard lock(p->mu);
    pushed = p->runnext;
    p->runnext = f;
    if (pushed) p->queue.push_back(pushed);
  }
  p->queued.fetch_add(1);
  // The goroutine pushed to the queue wakes no sleeping worker: most often
  // this thread runs it soon (the waker blocks next), and a worker woken for
  // it would take it away, so that goroutines handing values to each other
  // take turns across two threads (wake-ups and cache misses: a select over
  // two channels ran 4x slower). Workers still spinning take it at once; if
  // this thread stays busy, the monitor offers it within milliseconds.
  (void)pushed;
}

// This processor's next fiber, or null.
GoFiber* take_local(Proc* p) {
  if (p->queued.load() == 0) return nullptr;
  std::lock_guard lock(p->mu);
  GoFiber* f = p->runnext;
  if (f) {
    p->runnext = nullptr;
  } else if (!p->queue.empty()) {
    f = p->queue.pop_front();
  } else {
    return nullptr;
  }
  p->queued.fetch_sub(1);
  return f;
}

GoFiber* take_global() {
  Processors& ps = procs();
  if (ps.global_queued.load() == 0) return nullptr;
  std::lock_guard lock(ps.global_mu);
  if (ps.global.empty()) return nullptr;
  GoFiber* f = ps.global.pop_front();
  ps.global_queued.fetch_sub(1);
  ps.global_taken.fetch_add(1, std::memory_order_relaxed);
  return f;
}

// Whether `me` should take from `victim` (the i-th processor) now. Not
// while the victim keeps switching: its goroutines then hand values to each
// other in turns of a few microseconds, and spread over two threads they
// would pull the channel's cache lines from core to core at every turn (4
// producers and 4 consumers of one channel ran 3x slower than on one
// core). Yes once it has stayed in one goroutine for kStealAfterNs (busy,
// or blocked in a call the runtime cannot see), or holds a backlog of
// kStealBacklog, or the monitor found it stuck. Go's thieves wait a few
// microseconds for a busy processor's run-next goroutine in the same way.
// An idle thread spins at least that long before it sleeps, so that
// goroutines queued behind a busy one are taken within kStealAfterNs.
constexpr std::int64_t kStealAfterNs = 20'000;
constexpr std::uint32_t kStealBacklog = 32;
bool worth_stealing(Proc* me, std::size_t i, Proc* victim) {
  const std::uint32_t queued = victim->queued.load();
  if (queued == 0) return false;
  if (queued >= kStealBacklog || victim->stale.load(std::memory_order_relaxed)) return true;
  if (me->seen.size() <= i) me->seen.resize(kMaxProcs);
  Proc::Seen& seen = me->seen[i];
  const std::uint64_t switches = victim->switches.load(std::memory_order_relaxed);
  const std::int64_t now = now_ns();
  if (switches != seen.switches) {
    seen.switches = switches;
    seen.since_ns = now;
    return false;
  }
  return now - seen.since_ns >= kStealAfterNs;
}

// Takes half of `victim`'s queue, at most kStealAtOnce (one to run now, the
// rest into `me`'s queue), or its run-next goroutine when the monitor found
// it stuck.
constexpr std::size_t kStealAtOnce = 32;
GoFiber* steal_from(Proc* me, Proc* victim) {
  if (victim->queued.load() == 0) return nullptr;
  GoFiber* taken[kStealAtOnce];
  std::size_t n = 0;
  {
    std::lock_guard lock(victim->mu);
    n = std::min((victim->queue.size() + 1) / 2, kStealAtOnce);
    for (std::size_t i = 0; i < n; ++i) taken[i] = victim->queue.pop_front();
    if (n == 0 && victim->runnext && victim->stale.load()) {
      taken[n++] = victim->runnext;
      victim->runnext = nullptr;
    }
    if (n == 0) return nullptr;
    victim->queued.fetch_sub(static_cast<std::uint32_t>(n));
    victim->taken.fetch_add(n, std::memory_order_relaxed);
  }
  if (n > 1) {
    {
      std::lock_guard lock(me->mu);
      for (std::size_t i = 1; i < n; ++i) me->queue.push_back(taken[i]);
    }
    me->queued.fetch_add(static_cast<std::uint32_t>(n - 1));
  }
  return taken[0];
}

GoFiber* find_work(Proc* me) {
  if (GoFiber* f = take_local(me)) return f;
  if (GoFiber* f = take_global()) return f;
  Processors& ps = procs();
  std::size_t n = ps.count.load();
  std::size_t start = n ? static_cast<std::size_t>(me->switches.load(std::memory_order_relaxed)) % n
                        : 0;
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = (start + k) % n;
    Proc* victim = ps.all[i].load();
    if (victim && victim != me && worth_stealing(me, i, victim))
      if (GoFiber* f = steal_from(me, victim)) return f;
  }
  return nullptr;
}

// A finished fiber's stack stays with the processor it ended on (no lock),
// up to kStacksKept; fiber.cpp keeps more for every thread.
void release_fiber(Proc* me, GoFiber* f) {
  if (f->stack) {
    if (me->stacks.size() < kStacksKept) me->stacks.push_back(f->stack);
    else fiber::give_back_stack(f->stack);
  }
  Recycler<GoFiber>::recycle(f);
}

void* take_stack(Proc* me) {
  if (me->stacks.empty()) return fiber::take_stack();
  void* stack = me->stacks.back();
  me->stacks.pop_back();
  return stack;
}

// Back on `me`'s own stack from fiber `f`: does what the fiber asked.
void after_leaving(Proc* me, GoFiber* f) {
  me->running = nullptr;
  set_current_g(nullptr);
  After after = me->after;
  me->after = After::nothing;
  if (after == After::exit) {
    release_fiber(me, f);
  } else if (after == After::yield) {
    ready(f);
  } else if (after == After::requeue) {
    {
      std::lock_guard lock(me->mu);
      me->queue.push_back(f);
    }
    me->queued.fetch_add(1);
  } else if (after == After::park) {
    // Only now is the fiber's context saved: from here a waker may resume it.
    Parker& p = *me->parking;
    PA::waiter(p) = f;
    std::uint32_t expected = PA::kEmpty;
    if (!PA::state(p).compare_exchange_strong(expected, PA::kFiberParked,
                                              std::memory_order_acq_rel))
      ready(f);  // woken while it was leaving: it runs next
  }
}

void go_fiber_entry();

// Runs `f` on this processor until it blocks or ends, then does what it asked.
void run(Proc* me, GoFiber* f) {
  if (!f->started) {
    // The stack is taken now, not at go(): a goroutine that has not started
    // needs none, and by now earlier goroutines may have given theirs back
    // (a program that starts thousands at once maps a few, not thousands).
    f->stack = take_stack(me);
    if (!f->stack) fatal("out of memory for a goroutine's stack");
    fiber::start_context(f->context, fiber::usable_bottom(f->stack), fiber::kStackBytes, go_fiber_entry);
    f->started = true;
  }
  me->running = f;
  me->stale.store(false, std::memory_order_relaxed);
  me->switches.fetch_add(1, std::memory_order_relaxed);
  set_current_g(f->g);
  me->home_trace = trace_thread_buffer();
  set_trace_thread_buffer(f->trace_buffer);
  fiber::EhGlobals* eh = fiber::thread_eh();
  me->home_eh = *eh;
  *eh = f->eh;
  fiber::switch_context(me->home, f->context);
  // Back on this thread's stack; the fiber restored the thread's records.
  after_leaving(me, f);
}

// The fiber's side of leaving for its processor's stack: returns when the
// fiber runs again, perhaps on another thread.
void leave_fiber(After after, Parker* p) {
  Proc* me = my_proc();
  GoFiber* f = me->running;
  me->after = after;
  me->parking = p;
  f->trace_buffer = trace_thread_buffer();
  set_trace_thread_buffer(me->home_trace);
  fiber::EhGlobals* eh = fiber::thread_eh();
  f->eh = *eh;
  *eh = me->home_eh;
  fiber::switch_context(f->context, me->home);
}

// The first instruction of every goroutine's fiber.
void go_fiber_entry() {
  GoFiber* f = my_proc()->running;
  f->body(f->g, f->task);  // run_goroutine: ends the goroutine, deleting its G
  leave_fiber(After::exit, nullptr);
  std::abort();  // nobody resumes a finished fiber
}

// Sleeps on the processor's doorbell until rung, unless `ready` is true once
// the processor says it sleeps (a ringer that comes before that sees the
// doorbell and stores first; one after sees `sleeping` and wakes it).
template <class Ready>
void wait_on_doorbell(Proc* me, Ready ready) {
  me->doorbell.store(0);
  me->sleeping.store(true);
  if (!ready()) {
    while (me->doorbell.load() == 0) futex_wait(&me->doorbell, 0);
  }
  me->sleeping.store(false);
}

void processor_loop(Proc* me) {
  set_my_proc(me);
  Processors& ps = procs();
  for (;;) {
    GoFiber* f = find_work(me);
    if (!f) {
      ps.spinning.fetch_add(1);
      // At least as long as a busy processor's goroutines wait for a thief.
      spin_for(std::max(spin_limit_ns(), kStealAfterNs + kStealAfterNs / 4),
               [&] { return (f = find_work(me)) != nullptr; });
      if (ps.spinning.fetch_sub(1) == 1 && f) wake_a_worker();  // the last spinner found work: another looks
    }
    if (f) {
      run(me, f);
      continue;
    }
    {
      std::lock_guard lock(ps.pool_mu);
      ps.idle.push_back(me);
    }
    wait_on_doorbell(me, [&] { return (f = find_work(me)) != nullptr; });
    if (f) {
      {
        std::lock_guard lock(ps.pool_mu);
        auto it = std::find(ps.idle.begin(), ps.idle.end(), me);
        if (it != ps.idle.end()) ps.idle.erase(it);
      }
      run(me, f);
    }
  }
}

void start_processor_locked(Processors& ps) {
  // A processor whose thread could not start is kept for the next try.
  static Proc* unstarted = nullptr;
  Proc* p = unstarted ? unstarted : register_proc();
  try {
    std::thread(processor_loop, p).detach();
    unstarted = nullptr;
    ++ps.workers;
  } catch (const std::system_error&) {
    unstarted = p;  // out of threads for now: the monitor tries again
  }
}

// Whether thread `tid` of this process is on a core or waiting for one
// (state R in /proc), rather than asleep in a call the runtime cannot see.
// True when /proc cannot tell (not mounted in a sandbox, say).
bool thread_is_running(pid_t tid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/self/task/%d/stat", static_cast<int>(tid));
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return true;
  char text[512];
  ssize_t n = ::read(fd, text, sizeof text - 1);
  ::close(fd);
  if (n <= 0) return true;
  text[n] = '\0';
  const char* paren = std::strrchr(text, ')');  // ends the thread's name, which may hold anything
  return !paren || paren[1] != ' ' || paren[2] == 'R';
}

// Every millisecond while goroutines wait to run (every 5 ms after a tenth
// of a second without any, so that an idle program costs almost no CPU): a
// processor that holds runnable goroutines and has not switched since the
// last look is stuck in one goroutine. Its goroutines, run-next included,
// are offered to idle workers. When no worker is idle or spinning and
// nobody has taken any of its goroutines since the last look, one more
// worker starts, if the stuck thread sleeps in a call the runtime cannot see
// (std::this_thread::sleep_for, a std::mutex: Go hands such a processor to
// a new thread too; the runtime's own locks do not count), or else once that
// has lasted kMonitorHungryLooks looks (goroutines spinning until others
// run, on every thread). A thread that is busy on its core, or that the
// machine's other load keeps off it for a moment, gets no second one:
// threads beyond the cores only take turns on them (a loop starting
// goroutines once ran 30 threads on 2 cores).
void processors_monitor() {
  Processors& ps = procs();
  std::vector<std::uint64_t> last(kMaxProcs, ~std::uint64_t{0});
  std::vector<std::uint64_t> last_taken(kMaxProcs, 0);
  std::vector<int> hungry(kMaxProcs, 0);  // looks in a row with its goroutines untaken
  std::uint64_t last_global_taken = 0;
  int quiet = 0;
  for (;;) {
    std::this_thread::sleep_for(quiet >= kMonitorIdleLooks ? kMonitorIdlePeriod : kMonitorBusyPeriod);
    bool waiting = false, stuck = false, thread_missing = false;
    std::size_t n = ps.count.load();
    for (std::size_t i = 0; i < n; ++i) {
      Proc* p = ps.all[i].load();
      if (!p) continue;
      std::uint64_t s = p->switches.load(std::memory_order_relaxed);
      std::uint64_t t = p->taken.load(std::memory_order_relaxed);
      bool untaken = false;
      if (p->queued.load() > 0) {
        waiting = true;
        if (s == last[i]) {
          p->stale.store(true);
          stuck = true;
          untaken = t == last_taken[i];
        }
      }
      hungry[i] = untaken ? hungry[i] + 1 : 0;
      // Asleep on one of the runtime's own locks is not asleep in a call the
      // runtime cannot see: the holder, most likely a thread the machine's
      // load keeps off its core, lets it go within microseconds of running.
      if (untaken && (hungry[i] >= kMonitorHungryLooks ||
                      (!p->on_runtime_lock.load(std::memory_order_relaxed) &&
                       !thread_is_running(p->tid.load(std::memory_order_relaxed)))))
        thread_missing = true;
      last[i] = s;
      last_taken[i] = t;
    }
    std::uint64_t taken = ps.global_taken.load(std::memory_order_relaxed);
    if (ps.global_queued.load() > 0) {
      waiting = true;
      if (taken == last_global_taken) stuck = thread_missing = true;
    }
    last_global_taken = taken;
    quiet = waiting ? 0 : quiet + 1;
    if (!stuck) continue;
    Proc* w = nullptr;
    {
      std::lock_guard lock(ps.pool_mu);
      if (!ps.idle.empty()) {
        w = ps.idle.back();
        ps.idle.pop_back();
      } else if (thread_missing && ps.spinning.load() == 0) {
        start_processor_locked(ps);
      }
    }
    if (w) ring(w);
  }
}

// Main's thread once main has left it: its scheduling loop, on a stack of
// its own, begins by finishing main's park.
std::atomic<GoFiber*> main_fiber{nullptr};  // written once, by main
void main_thread_loop() {
  Proc* me = my_proc();
  after_leaving(me, main_fiber.load());
  processor_loop(me);
}

// Main starts its first goroutine, or blocks, for the first time: it becomes
// a fiber (its stack stays where it is), and its thread becomes a processor
// that runs the loop on a stack of its own. `after`: yield (main runs on at
// once, from its processor's run-next slot) or park on `p`. False, when the
// caller is not main or no stack can be mapped: it goes on as a thread.
bool main_becomes_a_fiber(After after, Parker* p) {
  if (main_fiber || !procs().on) return false;
  G* g = current_g_if_any();
  if (!g || !g->is_main) return false;
  void* home_stack = fiber::take_stack();
  if (!home_stack) return false;
  Proc* me = register_proc();
  fiber::start_context(me->home, fiber::usable_bottom(home_stack), fiber::kStackBytes,
                       main_thread_loop);
  auto* f = Recycler<GoFiber>::make();
  f->g = g;
  f->started = true;
  main_fiber.store(f);
  me->running = f;
  set_my_proc(me);
  {
    Processors& ps = procs();
    std::lock_guard lock(ps.pool_mu);
    ++ps.workers;  // main's thread is one of the cores' threads now
  }
  leave_fiber(after, p);
  return true;
}

}  // namespace

bool fibers_on() noexcept { return procs().on; }

bool on_fiber() noexcept {
  Proc* p = my_proc();
  return p && p->running;
}

void fibers_spawn(G* g, Task task, void (*body)(G*, Task&)) {
  // Main's first go(): main becomes a fiber now, so that what it starts (and
  // later wakes) runs next on its thread whenever main blocks.
  if (!on_fiber()) main_becomes_a_fiber(After::yield, nullptr);
  auto* f = Recycler<GoFiber>::make();
  f->g = g;
  f->task = std::move(task);
  f->body = body;
  Processors& ps = procs();
  bool start_monitor = false;
  {
    std::lock_guard lock(ps.pool_mu);
    if (!ps.monitor_started) start_monitor = ps.monitor_started = true;
  }
  if (start_monitor) std::thread(processors_monitor).detach();
  ready(f);
  wake_a_worker();  // as Go's newproc does: an idle worker may take it, or others
}

bool fibers_park(Parker& p) {
  if (on_fiber()) {
    if (PA::state(p).load(std::memory_order_acquire) == PA::kNotified) return true;
    leave_fiber(After::park, &p);
    return true;
  }
  if (PA::state(p).load(std::memory_order_acquire) == PA::kNotified) return true;
  return main_becomes_a_fiber(After::park, &p);  // else a thread not started by go()
}

void note_runtime_lock_sleep(bool asleep) noexcept {
  if (Proc* p = my_proc()) p->on_runtime_lock.store(asleep, std::memory_order_relaxed);
}

bool fibers_yield(const SourceLocation& where) {
  if (!on_fiber()) return false;
  if (my_proc()->queued.load() == 0) return true;  // nobody waits for this thread
  set_blocked_state(GState::runnable, where);  // not blocked: counted as running
  leave_fiber(After::requeue, nullptr);
  set_running_state();
  return true;
}

void fibers_wake_fiber(void* fiber) { ready(static_cast<GoFiber*>(fiber)); }

}  // namespace goc::detail
