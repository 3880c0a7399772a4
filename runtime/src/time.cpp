// Timers: one runtime thread fires every time_after() channel in deadline order.
#include <condition_variable>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

#include "goc/time.hpp"

#include <memory>

#include "goc/detail/schedule.hpp"
#include "goc/detail/trace.hpp"
#include "processors.hpp"

namespace goc {
namespace {

struct Timer {
  Clock::time_point deadline;
  Channel<Clock::time_point> ch;  // time_after's; nil for a sleep
  SourceLocation where;  // the time_after call, for the trace
  detail::Parker* sleeper = nullptr;  // a sleep_for on a fiber: woken instead
  bool operator>(const Timer& o) const { return deadline > o.deadline; }
};

// Never destroyed: the timer thread may outlive main's static destructors.
struct TimerQueue {
  std::mutex mu;
  std::condition_variable cv;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers;
  bool started = false;

  void add(Timer t) {
    std::lock_guard lock(mu);
    if (!t.sleeper) detail::timer_begin();  // a sleeper counts its own timer
    bool earliest = timers.empty() || t.deadline < timers.top().deadline;
    timers.push(std::move(t));
    if (!started) {
      started = true;
      std::thread([this] { run(); }).detach();
    } else if (earliest) {
      cv.notify_one();
    }
  }

  void run() {
    std::unique_lock lock(mu);
    for (;;) {
      if (timers.empty()) {
        cv.wait(lock);
        continue;
      }
      auto deadline = timers.top().deadline;
      if (Clock::now() < deadline) {
        cv.wait_until(lock, deadline);
        continue;
      }
      Timer t = timers.top();
      timers.pop();
      lock.unlock();
      if (t.sleeper) {
        t.sleeper->wake();
        lock.lock();
        continue;
      }
      detail::TraceTimerScope on_timer_track;
      if (detail::trace_on()) detail::trace_timer("timer fired", t.where);
      t.ch.send(Clock::now());  // capacity 1 and sent once: never blocks
      detail::timer_end();      // after the send, which may wake a receiver
      lock.lock();
    }
  }
};

TimerQueue& timer_queue() {
  static TimerQueue* q = new TimerQueue;
  return *q;
}

// In a scheduled run the timer is on the virtual clock (goc/detail/schedule.hpp).
void fire_scheduled(void* arg) {
  std::unique_ptr<Channel<Clock::time_point>> ch(static_cast<Channel<Clock::time_point>*>(arg));
  detail::TraceTimerScope on_timer_track;
  if (detail::trace_on()) detail::trace_timer("timer fired", SourceLocation::current());
  ch->send(detail::schedule_now());  // capacity 1 and sent once: never blocks
  detail::timer_end();
}

}  // namespace

Clock::time_point now() { return detail::schedule_on() ? detail::schedule_now() : Clock::now(); }

RecvChan<Clock::time_point> time_after(Clock::duration d, SourceLocation where) {
  auto ch = make_chan<Clock::time_point>(1, where);
  if (detail::trace_on()) detail::trace_timer("timer set", where);
  if (detail::schedule_on()) {
    detail::schedule_point("time_after", where);
    detail::timer_begin();
    detail::schedule_timer(d, fire_scheduled, new Channel<Clock::time_point>(ch));
    return ch;
  }
  timer_queue().add(Timer{Clock::now() + d, ch, where});
  return ch;
}

void sleep_for(Clock::duration d, SourceLocation where) {
  detail::set_blocked_state(detail::GState::sleep, where);
  detail::timer_begin();
  const bool on_virtual_clock = detail::schedule_on() && detail::schedule_sleep(d);
  if (!on_virtual_clock && detail::on_fiber()) {
    // A fiber must not hold its thread for the whole sleep: the timer thread
    // wakes it, and the thread runs other goroutines meanwhile.
    detail::Parker woken;
    timer_queue().add(Timer{Clock::now() + d, Channel<Clock::time_point>(), where, &woken});
    woken.park();
  } else if (!on_virtual_clock) {
    std::this_thread::sleep_for(d);
  }
  detail::timer_end();
  detail::set_running_state();
}

}  // namespace goc
