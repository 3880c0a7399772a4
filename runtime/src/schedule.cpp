// Seeded schedules and virtual time (see goc/detail/schedule.hpp).
//
// How goroutines take turns: in a scheduled run every goroutine started with
// go() is a fiber (a stack of its own and a saved context), and
// all of them, main included, run on main's thread, one at a time: passing the
// turn is a switch of stacks, not a wake-up of another thread, so a decision
// costs well under a microsecond and does not depend on how busy the machine
// is. At a schedule point the running goroutine joins the runnable list and
// passes the turn; when it blocks (a Parker of a channel, a Mutex, a
// WaitGroup, a sleep) it passes the turn without joining, and whoever wakes
// that Parker puts it back on the runnable list. Passing the turn picks a
// runnable goroutine with the seeded generator and switches to it; with
// nobody runnable it moves the virtual clock to the earliest timer and fires
// it; with no timer either, the program is deadlocked (the detector in
// sched.cpp reports it) or waits, asleep, for a thread that is not a
// goroutine to wake one.
#include "goc/detail/schedule.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>
#include <vector>

#include "goc/detail/sched.hpp"
#include "goc/detail/trace.hpp"
#include "goc/goroutine.hpp"
#include "fiber.hpp"
#include "recycler.hpp"
#include "tsan.hpp"

namespace goc::detail {

// Parker's private state, for the scheduled path only.
struct ScheduleAccess {
  static bool notified(const Parker& p) {
    return p.state_.load(std::memory_order_acquire) == Parker::kNotified;
  }
  static void notify(Parker& p) { p.state_.store(Parker::kNotified, std::memory_order_release); }
  static G*& owner(Parker& p) { return p.owner_; }
};

namespace {

using Clock = std::chrono::steady_clock;
using Lock = tsan::BlindLock<std::mutex>;

struct Timer {
  Clock::time_point at;
  std::uint64_t seq;  // ties fire in the order the timers were made
  void (*fire)(void*);
  void* arg;
  bool operator>(const Timer& o) const { return at != o.at ? at > o.at : seq > o.seq; }
};

// What a decision's line says after `what`: " 7 on c2 (made at pool.cpp:40)".
constexpr std::size_t kDetailChars = 96;

struct Decision {
  std::uint64_t g;
  const char* what;
  const char* file;
  std::uint32_t line;
  std::uint64_t next;
  char detail[kDetailChars];
};


// A goroutine of a scheduled run: its saved context and, except for main,
// its own stack (mapped lazily, with a guard page below).
struct Fiber {
  G* g = nullptr;
  fiber::Context context;
  void* stack = nullptr;
  void* tsan_fiber = nullptr;
  fiber::EhGlobals eh;
  Task task;  // until it first runs
};

constexpr std::size_t kDecisionsKept = 24;
constexpr auto kWatchdogLimit = std::chrono::seconds(1);
constexpr auto kPollingLimit = std::chrono::seconds(5);

struct Scheduler {
  std::mutex mu;  // guards everything below; taken blind (tsan.hpp)
  std::string spec;  // as GOC_SCHEDULE gave it, for the replay line
  std::mt19937_64 rng;
  // PCT (probabilistic concurrency testing, Burckhardt et al. 2010): the
  // runnable goroutine of highest priority runs; at each of depth - 1 random
  // steps among the first `steps` the running one drops below all others.
  bool pct = false;
  std::uint64_t steps = 0;                         // decisions PCT governs; random after
  std::vector<std::uint64_t> change_points;        // sorted
  std::unordered_map<G*, std::uint64_t> priority;  // PCT: higher runs first
  std::uint64_t step = 0;
  std::unordered_map<G*, std::unique_ptr<Fiber>> fibers;  // every scheduled goroutine
  std::unique_ptr<Fiber> finished;  // freed by whoever runs after it (not on its own stack)
  std::vector<G*> runnable;
  G* running = nullptr;
  bool host_idle = false;  // main's thread sleeps on `idle`
  Parker idle;  // main's thread sleeps here when nobody can run and no timer is due
  Clock::time_point now;
  std::vector<Timer> timers;  // a min-heap on (at, seq)
  std::uint64_t timer_seq = 0;
  Decision kept[kDecisionsKept] = {};
  std::uint64_t decisions = 0;
  std::atomic<std::uint64_t> progress{0};  // for the watchdog: grows at every turn
  std::uint64_t timers_fired = 0;          // for the watchdog: the clock moved
};

Scheduler& sched() {
  static Scheduler* s = new Scheduler;  // never destroyed, like the runtime
  return *s;
}

// A timer's action is not a schedule point. Untracked (tsan.hpp): set and
// read by whichever goroutine's fiber fires the timer on main's thread.
thread_local bool firing_timer = false;
GOC_TSAN_UNTRACKED bool timer_firing() { return firing_timer; }
GOC_TSAN_UNTRACKED void set_timer_firing(bool on) { firing_timer = on; }

// A new scheduled goroutine: under PCT a random priority above every
// priority a change point gives.
void add_goroutine_locked(Scheduler& s, G* g, std::unique_ptr<Fiber> f) {
  s.fibers.emplace(g, std::move(f));
  if (s.pct) s.priority[g] = s.change_points.size() + 1 + s.rng() % (std::uint64_t{1} << 40);
}

// Main becomes a scheduled goroutine on its first runtime call; its fiber is
// the thread's own stack, and its thread runs every goroutine from then on.
bool managed_locked(Scheduler& s, G* g) {
  if (s.fibers.count(g)) return true;
  if (!g->is_main) return false;
  auto f = std::make_unique<Fiber>();
  f->g = g;
  f->tsan_fiber = tsan::current_fiber();
  add_goroutine_locked(s, g, std::move(f));
  if (!s.running) s.running = g;
  return true;
}

void make_runnable_locked(Scheduler& s, G* g) { s.runnable.push_back(g); }

// Main's thread may be asleep with nobody to run: a thread not started by
// go() made a goroutine runnable or set a timer.
void wake_host_locked(Scheduler& s) {
  if (s.running || !s.host_idle) return;
  s.host_idle = false;
  s.idle.wake_unscheduled();
}

// What the goroutine passing the turn was about to do, for the report.
struct Passing {
  G* g;
  const char* what;
  const char* file;
  std::uint32_t line;
  std::string detail;  // " 7 on c2 (made at pool.cpp:40)", or empty
};

// " <value> on <channel>" for a decision's line; empty without a channel.
std::string describe_operation(const ChanBase* chan, const void* value) {
  if (!chan) return "";
  std::string text = value ? chan_value_text(chan, value) : "";
  return (text.empty() ? "" : " " + text) + " on " + chan_label(chan);
}

void record_locked(Scheduler& s, const Passing& from, G* next) {
  Decision& d = s.kept[s.decisions % kDecisionsKept];
  d = Decision{from.g->id, from.what, from.file, from.line, next ? next->id : 0, {}};
  std::size_t n = std::min(from.detail.size(), kDetailChars - 1);
  std::memcpy(d.detail, from.detail.data(), n);
  if (n < from.detail.size() && n >= 3) std::memcpy(d.detail + n - 3, "...", 3);
  d.detail[n] = '\0';
  ++s.decisions;
}

// Under PCT: the goroutine passing the turn reached a change point.
void count_step_locked(Scheduler& s, G* passing) {
  ++s.step;
  if (!s.pct || !passing) return;
  auto it = std::find(s.change_points.begin(), s.change_points.end(), s.step);
  if (it != s.change_points.end())
    s.priority[passing] = static_cast<std::uint64_t>(it - s.change_points.begin()) + 1;
}

G* pick_locked(Scheduler& s) {
  std::size_t i = static_cast<std::size_t>(s.rng() % s.runnable.size());
  if (s.pct && s.step <= s.steps) {
    auto higher = [&](G* a, G* b) { return s.priority[a] < s.priority[b]; };
    i = static_cast<std::size_t>(
        std::max_element(s.runnable.begin(), s.runnable.end(), higher) - s.runnable.begin());
  }
  G* next = s.runnable[i];
  s.runnable.erase(s.runnable.begin() + static_cast<std::ptrdiff_t>(i));
  return next;
}

// Untracked by ThreadSanitizer: a goroutine's end orders nothing in Go, so
// freeing what it used must not look like a race with it either.
void free_fiber(std::unique_ptr<Fiber> f) {
  tsan::ignore_accesses_begin();
  if (f->stack) fiber::give_back_stack(f->stack);
  if (f->tsan_fiber) tsan::destroy_fiber(f->tsan_fiber);
  Recycler<G>::recycle(f->g);  // kept until its fiber was left (see schedule_exit)
  f.reset();
  tsan::ignore_accesses_end();
}

// Whoever runs after a finished goroutine frees its stack.
void after_switch() {
  std::unique_ptr<Fiber> dead;
  {
    Lock lock(sched().mu);
    dead = std::move(sched().finished);
  }
  if (dead) free_fiber(std::move(dead));
}

// Leaves `from` (the running fiber) for `to`; returns when some goroutine
// switches back to `from`. Called on main's thread without the lock.
// Untracked (tsan.hpp): the exception state is the thread's, shared by fibers.
GOC_TSAN_UNTRACKED void switch_fiber(Fiber* from, Fiber* to) {
  fiber::EhGlobals* eh = fiber::thread_eh();
  from->eh = *eh;
  *eh = to->eh;
  set_current_g(to->g);
  GOC_TSAN_SWITCH_TO_FIBER(to->tsan_fiber);
  fiber::switch_context(from->context, to->context);
  after_switch();
}

// Main's thread has nobody to run and no timer to fire: it sleeps until a
// thread not started by go() wakes a goroutine (wake_host_locked).
void sleep_until_woken(Scheduler& s, Lock& lock) {
  s.idle.reset();
  s.host_idle = true;
  lock.unlock();
  tsan::ignore_sync_begin();  // the waker's edge goes to the goroutine it woke, stated elsewhere
  s.idle.park_unscheduled(/*spin=*/false);
  tsan::ignore_sync_end();
  lock.lock();
}

// Passes the turn from `me` (the running goroutine's fiber) to a runnable
// goroutine, firing due timers when none is; returns when it is `me`'s turn
// again. Called with the lock held; returns with it released.
void pass_turn(Scheduler& s, Lock& lock, Fiber* me, const Passing* from = nullptr) {
  count_step_locked(s, from ? from->g : nullptr);
  for (;;) {
    if (!s.runnable.empty()) {
      G* next = pick_locked(s);
      if (from) record_locked(s, *from, next);
      s.running = next;
      s.progress.fetch_add(1, std::memory_order_relaxed);
      Fiber* to = s.fibers.at(next).get();
      lock.unlock();
      if (to != me) switch_fiber(me, to);
      return;
    }
    if (s.timers.empty()) {
      if (from) record_locked(s, *from, nullptr);
      from = nullptr;
      s.running = nullptr;  // all blocked: a deadlock, or a thread not started by go() will wake one
      sleep_until_woken(s, lock);
      continue;
    }
    std::pop_heap(s.timers.begin(), s.timers.end(), std::greater<>());
    Timer t = s.timers.back();
    s.timers.pop_back();
    if (t.at > s.now)
      trace_clock_jump(static_cast<std::uint64_t>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(t.at - s.now).count()));
    s.now = std::max(s.now, t.at);
    ++s.timers_fired;
    lock.unlock();
    set_timer_firing(true);
    tsan::acquire(t.arg);  // made by whoever set the timer (see schedule_timer)
    t.fire(t.arg);
    set_timer_firing(false);
    lock.lock();
  }
}

// The first instruction of every goroutine's fiber.
void fiber_entry() {
  Fiber* f;
  {
    Lock lock(sched().mu);
    f = sched().fibers.at(sched().running).get();
  }
  after_switch();
  f->task();  // ends in schedule_exit(), which never returns here
  std::abort();
}

// A fiber for goroutine `g` that will start by running `task`; null when no
// stack could be mapped.
std::unique_ptr<Fiber> make_fiber(G* g, Task task) {
  void* stack = fiber::take_stack();
  if (!stack) return nullptr;
  auto f = std::make_unique<Fiber>();
  f->g = g;
  f->stack = stack;
  f->task = std::move(task);
  fiber::start_context(f->context, fiber::usable_bottom(stack), fiber::kStackBytes, fiber_entry);
  char name[32];
  std::snprintf(name, sizeof name, "goroutine %llu", static_cast<unsigned long long>(g->id));
  f->tsan_fiber = tsan::create_fiber(name);
  return f;
}

// Prints "fatal error: <what>", the schedule report, and ends the program.
[[noreturn]] void die_scheduled(const std::string& what) {
  std::string text = "fatal error: " + what + "\n" + schedule_report();
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
  std::fflush(stdout);
  trace_flush();
  std::_Exit(2);
}

[[noreturn]] void report_runaway(G* g) {
  die_scheduled("goroutine " + std::to_string(g->id) + " ran for " +
                std::to_string(kWatchdogLimit.count()) + " s without a runtime call (started at " +
                (g->is_main ? std::string("main")
                            : std::string(g->created_file) + ":" + std::to_string(g->created_line)) +
                "): in a scheduled run a busy loop, std::this_thread::sleep_for or a std::mutex "
                "keeps every other goroutine waiting; use the runtime's channels, Mutex, "
                "WaitGroup and goc::sleep_for");
}

[[noreturn]] void report_polling(Clock::duration waited) {
  die_scheduled("for " +
                std::to_string(std::chrono::duration_cast<std::chrono::seconds>(waited).count()) +
                " s goroutines kept running while a timer waited: in a scheduled run the clock "
                "moves only when every goroutine is blocked, so a loop that polls (a select with "
                "a default case, a len() check) keeps time from passing; block on the channel "
                "instead");
}

// A goroutine that keeps its turn without a runtime call stops everyone; and
// goroutines that never all block keep a pending timer from ever firing.
void watchdog() {
  Scheduler& s = sched();
  std::uint64_t last = s.progress.load(std::memory_order_relaxed);
  std::uint64_t last_fired = 0;
  auto since = Clock::now(), clock_still_since = since;
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::uint64_t p = s.progress.load(std::memory_order_relaxed);
    G* running;
    bool timer_pending;
    std::uint64_t fired;
    {
      Lock lock(s.mu);
      running = s.running;
      timer_pending = !s.timers.empty();
      fired = s.timers_fired;
    }
    auto now = Clock::now();
    if (p != last || !running) {
      last = p;
      since = now;
    } else if (now - since >= kWatchdogLimit) {
      report_runaway(running);
    }
    if (fired != last_fired || !timer_pending) {
      last_fired = fired;
      clock_still_since = now;
    } else if (now - clock_still_since >= kPollingLimit) {
      report_polling(now - clock_still_since);
    }
  }
}

// "random:SEED" or "pct:SEED:DEPTH[:STEPS]"; false when malformed.
bool parse_schedule(const char* spec, Scheduler& s) {
  unsigned long long seed = 0, depth = 0, steps = 2000;
  int used = 0;
  if (std::sscanf(spec, "random:%llu%n", &seed, &used) == 1 && spec[used] == '\0') {
    s.rng.seed(seed);
    return true;
  }
  int n = std::sscanf(spec, "pct:%llu:%llu%n", &seed, &depth, &used);
  if (n != 2 || depth < 1) return false;
  if (spec[used] == ':') {
    int more = 0;
    if (std::sscanf(spec + used, ":%llu%n", &steps, &more) != 1 || steps < 1) return false;
    used += more;
  }
  if (spec[used] != '\0') return false;
  s.rng.seed(seed);
  s.pct = true;
  s.steps = steps;
  for (unsigned long long i = 1; i < depth; ++i) s.change_points.push_back(1 + s.rng() % steps);
  return true;
}

const char* const kSpecHelp =
    "expected random:SEED or pct:SEED:DEPTH[:STEPS] with whole numbers (e.g. random:42 or "
    "pct:42:3)";

void start_scheduling(Scheduler& s, const char* spec) {
  s.spec = spec;
  s.now = Clock::now();
  runtime_hooks.bits.fetch_or(kHookSchedule, std::memory_order_relaxed);
  trace_schedule_began();
  std::thread(watchdog).detach();
}

void enable_from_environment() {
  const char* spec = std::getenv("GOC_SCHEDULE");
  if (!spec || !*spec) return;
  Scheduler& s = sched();
  if (!parse_schedule(spec, s)) {
    std::fprintf(stderr, "fatal error: GOC_SCHEDULE=%s: %s, or unset it for a normal run\n", spec,
                 kSpecHelp);
    std::_Exit(2);
  }
  start_scheduling(s, spec);
}

const bool from_environment = (enable_from_environment(), true);

}  // namespace

bool schedule_start(const std::string& spec, std::string* error) {
  auto refuse = [&](const std::string& why) {
    if (error) *error = why;
    return false;
  };
  if (schedule_on()) return refuse("a schedule is already on (" + sched().spec + ")");
  if (goc::num_goroutine() > 1)
    return refuse("goroutines are already running: start the schedule before the first go()");
  Scheduler probe;  // parsed here first, so that a malformed spec changes nothing
  if (!parse_schedule(spec.c_str(), probe))
    return refuse("schedule \"" + spec + "\": " + kSpecHelp);
  Scheduler& s = sched();
  parse_schedule(spec.c_str(), s);
  start_scheduling(s, spec.c_str());
  return true;
}

void schedule_point(const char* what, const SourceLocation& where, const ChanBase* chan,
                    const void* value) {
  if (timer_firing()) return;
  G* g = current_g();
  // Formatted before the lock: printing the value runs the program's code.
  std::string detail = describe_operation(chan, value);
  Scheduler& s = sched();
  Lock lock(s.mu);
  if (!managed_locked(s, g)) return;
  make_runnable_locked(s, g);
  Passing from{g, what, where.file_name(), where.line(), std::move(detail)};
  pass_turn(s, lock, s.fibers.at(g).get(), &from);
}

bool schedule_park(Parker& p) {
  G* g = current_g();
  std::string detail = describe_operation(blocked_chan(), nullptr);
  Scheduler& s = sched();
  Lock lock(s.mu);
  if (!managed_locked(s, g)) return false;
  if (ScheduleAccess::notified(p)) {
    lock.unlock();
    tsan::acquire(&p);
    return true;
  }
  ScheduleAccess::owner(p) = g;
  Passing from{g, state_name(g->state.load(std::memory_order_relaxed)),
               g->blocked_file.load(std::memory_order_relaxed),
               g->blocked_line.load(std::memory_order_relaxed), std::move(detail)};
  if (!from.file) from.file = "?";
  pass_turn(s, lock, s.fibers.at(g).get(), &from);
  tsan::acquire(&p);  // what the waker did before wake(), as an unscheduled park sees it
  return true;
}

bool schedule_wake(Parker& p) {
  // The edge an unscheduled wake() makes through the Parker's word, which the
  // turns (invisible to ThreadSanitizer) would otherwise leave out.
  tsan::release(&p);
  Scheduler& s = sched();
  Lock lock(s.mu);
  G* owner = ScheduleAccess::owner(p);
  if (!owner) {
    // Not parked by a scheduled goroutine: one not parked yet (its park()
    // sees the notification under this lock), or a thread not started by go()
    // that may be asleep on the futex and needs the unscheduled wake.
    p.wake_unscheduled();
    return true;
  }
  ScheduleAccess::notify(p);
  ScheduleAccess::owner(p) = nullptr;
  make_runnable_locked(s, owner);
  wake_host_locked(s);  // woken by a thread that is not a goroutine
  return true;
}

bool schedule_spawn(G* g, Task task) {
  std::unique_ptr<Fiber> f = make_fiber(g, std::move(task));
  if (!f) return false;
  Scheduler& s = sched();
  Lock lock(s.mu);
  add_goroutine_locked(s, g, std::move(f));
  make_runnable_locked(s, g);
  wake_host_locked(s);  // started by a thread that is not a goroutine
  return true;
}

void schedule_begin() { after_switch(); }

void schedule_exit(G* g) {
  Scheduler& s = sched();
  Lock lock(s.mu);
  auto it = s.fibers.find(g);
  s.finished = std::move(it->second);  // freed, with g, by whoever runs next
  s.fibers.erase(it);
  s.priority.erase(g);
  pass_turn(s, lock, s.finished.get());
  std::abort();  // nobody switches back to a finished goroutine
}


Clock::time_point schedule_now() {
  Lock lock(sched().mu);
  return sched().now;
}

void schedule_timer(Clock::duration d, void (*fire)(void*), void* arg) {
  tsan::release(arg);  // the timer's state, for the goroutine that will fire it
  Scheduler& s = sched();
  Lock lock(s.mu);
  s.timers.push_back(Timer{s.now + d, s.timer_seq++, fire, arg});
  std::push_heap(s.timers.begin(), s.timers.end(), std::greater<>());
  wake_host_locked(s);  // set by a thread that is not a goroutine
}

bool schedule_sleep(Clock::duration d) {
  {
    Scheduler& s = sched();
    Lock lock(s.mu);
    if (!managed_locked(s, current_g())) return false;
  }
  Parker woken;
  schedule_timer(d, [](void* p) { static_cast<Parker*>(p)->wake(); }, &woken);
  woken.park();
  return true;
}

std::uint64_t schedule_random() {
  Lock lock(sched().mu);
  return sched().rng();
}

std::uint64_t schedule_decisions() {
  Lock lock(sched().mu);
  return sched().decisions;
}

std::string schedule_report() {
  if (!schedule_on()) return "";
  Scheduler& s = sched();
  Lock lock(s.mu);
  std::string out = "schedule: GOC_SCHEDULE=" + s.spec +
                    " (run again with it to replay this interleaving)\n";
  std::uint64_t first = s.decisions > kDecisionsKept ? s.decisions - kDecisionsKept : 0;
  if (s.decisions) out += "last scheduling decisions, oldest first:\n";
  for (std::uint64_t i = first; i < s.decisions; ++i) {
    const Decision& d = s.kept[i % kDecisionsKept];
    out += "  g" + std::to_string(d.g) + " " + d.what + d.detail + " (" + d.file + ":" +
           std::to_string(d.line) + ")";
    if (d.next == d.g) out += ", goes on\n";
    else if (d.next == 0) out += ", then nobody can run\n";
    else out += ", then g" + std::to_string(d.next) + " runs\n";
  }
  return out;
}

}  // namespace goc::detail
