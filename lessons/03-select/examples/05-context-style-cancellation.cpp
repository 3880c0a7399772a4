// Lesson 3, example 05: where context-style cancellation and deadlines fit.
//
// A done channel (example 04) says "stop", and nothing else. Go's
// context.Context packs the pieces real programs need around it:
//   - Done(): the same done channel, closed exactly once;
//   - Err(): WHY it closed, "context canceled" or "context deadline exceeded";
//   - deadlines: WithTimeout closes Done by itself when time is up;
//   - a tree: a context derived from a parent is cancelled with it, so
//     cancelling one request stops every step working on its behalf.
// (It also carries request-scoped values, which this sketch leaves out.)
//
// goc has no context package; this example builds a minimal one out of the
// pieces of this lesson, to show that it is "a done channel plus a reason plus
// a timer plus a parent", all wired up with select.
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

#include "goc/goc.hpp"

using namespace std::chrono_literals;

//! [context]
// A done channel that closes once, and the reason it closed: the part of
// Go's context.Context this lesson needs.
// Go:
//     type Context interface {
//         Done() <-chan struct{}
//         Err() error
//     }
class Context {
 public:
  goc::RecvChan<goc::Empty> done() const { return done_; }

  std::string err() const {
    std::lock_guard guard(mu_);
    return err_;
  }

  // The first call closes done() and records the reason; later calls do
  // nothing, so any number of parties may cancel without a double close.
  void cancel(const std::string& reason) {
    std::lock_guard guard(mu_);
    if (!err_.empty()) return;
    err_ = reason;
    done_.close();
  }

 private:
  goc::Channel<goc::Empty> done_ = goc::make_chan<goc::Empty>();
  mutable goc::Mutex mu_;
  std::string err_;
};
using Ctx = std::shared_ptr<Context>;
//! [context]

//! [derive]
// A child context, cancelled when the parent is, when `timer` fires, or when
// its own cancel() is called. A goroutine watches the three with select. A nil
// channel is never ready in a select, so a nil timer means "no deadline".
Ctx derive(const Ctx& parent, goc::RecvChan<goc::Clock::time_point> timer) {
  auto child = std::make_shared<Context>();
  goc::go([parent, child, timer] {
    goc::select(
        goc::recv_case(parent->done(), [&] { child->cancel(parent->err()); }),
        goc::recv_case(timer, [&] { child->cancel("context deadline exceeded"); }),
        goc::recv_case(child->done()));  // cancelled directly: just stop watching
  });
  return child;
}

// Go: ctx, cancel := context.WithCancel(parent)
Ctx with_cancel(const Ctx& parent) { return derive(parent, {}); }

// Go: ctx, cancel := context.WithTimeout(parent, d)
Ctx with_timeout(const Ctx& parent, goc::Clock::duration d) {
  return derive(parent, goc::time_after(d));
}
//! [derive]

//! [fetch]
// Work that takes `how_long`, abandoned as soon as ctx is done.
// Go:
//     select {
//     case data := <-result:
//         return data, nil
//     case <-ctx.Done():
//         return "", ctx.Err()
//     }
std::string fetch(const Ctx& ctx, goc::Clock::duration how_long) {
  auto result = goc::make_chan<std::string>(1);  // the late result must not block
  goc::go([=] {
    goc::sleep_for(how_long);
    result.send("data");
  });
  std::string outcome;
  goc::select(goc::recv_case(result, [&](std::string data) { outcome = "got " + data; }),
              goc::recv_case(ctx->done(), [&] { outcome = "gave up: " + ctx->err(); }));
  return outcome;
}
//! [fetch]

int main() {
  auto background = std::make_shared<Context>();  // Go: context.Background(), never cancelled

  //! [deadline]
  // Go:
  //     ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
  //     defer cancel()
  auto ctx = with_timeout(background, 100ms);
  std::printf("slow fetch, 100ms deadline: %s\n", fetch(ctx, 2s).c_str());
  ctx->cancel("context canceled");  // Go's `defer cancel()`: releases the watcher

  auto roomy = with_timeout(background, 5s);
  std::printf("quick fetch, 5s deadline: %s\n", fetch(roomy, 10ms).c_str());
  roomy->cancel("context canceled");
  //! [deadline]

  //! [tree]
  // Cancelling a request cancels the step derived from it.
  // Go:
  //     request, cancelRequest := context.WithCancel(context.Background())
  //     step, cancelStep := context.WithTimeout(request, 5*time.Second)
  //     go func() { outcomes <- fetch(step, 2*time.Second) }()
  //     cancelRequest() // the client hung up
  auto request = with_cancel(background);
  auto step = with_timeout(request, 5s);
  auto outcomes = goc::make_chan<std::string>();
  goc::go([=] { outcomes.send(fetch(step, 2s)); });
  request->cancel("context canceled");  // the client hung up
  std::printf("step of a cancelled request: %s\n", outcomes.recv().c_str());
  //! [tree]
}
