// The runtime API reference's examples (docs/pages/api-reference.md quotes
// each `//! [tag]` region). The test suite runs this program and compares what
// it prints, so every excerpt in the reference compiles and does what it says.
#include <cstdio>
#include <mutex>
#include <string>

#include "goc/goc.hpp"

using namespace std::chrono_literals;

//! [views]
// chan<- int: this function can only send (and close).
void count_to(int n, goc::SendChan<int> out) {
  for (int i = 1; i <= n; ++i) out.send(i);
  out.close();  // the sending side closes
}

// <-chan int: this function can only receive.
int sum_all(goc::RecvChan<int> in) {
  int sum = 0;
  for (int v : in) sum += v;  // for v := range in
  return sum;
}
//! [views]

int main() {
  {
    //! [channel]
    auto ch = goc::make_chan<std::string>();  // ch := make(chan string)
    goc::go([=] {                             // go func() { ... }()
      ch.send("ping");                        // ch <- "ping"
      ch.close();                             // close(ch)
    });
    std::string first = ch.recv();        // first := <-ch
    auto [rest, ok] = ch.recv_ok();       // rest, ok := <-ch  (closed: "", false)
    std::printf("%s, then ok=%d\n", first.c_str(), ok);
    //! [channel]
    (void)rest;
  }
  {
    //! [views-call]
    auto numbers = goc::make_chan<int>(4);
    goc::go(count_to, 10, numbers);  // Channel<int> converts to SendChan<int>
    std::printf("sum 1..10 = %d\n", sum_all(numbers));
    //! [views-call]
  }
  {
    //! [select]
    auto results = goc::make_chan<int>();  // nobody sends: the timer wins
    goc::select(
        goc::recv_case(results, [](int r) { std::printf("result %d\n", r); }),
        goc::recv_case(goc::time_after(20ms), [] { std::printf("timed out\n"); }));

    auto queue = goc::make_chan<int>(1);
    for (int attempt = 1; attempt <= 2; ++attempt) {
      int chosen = goc::select(goc::send_case(queue, attempt),  // case queue <- attempt:
                               goc::default_case());             // default:
      std::printf("attempt %d: %s\n", attempt, chosen == 0 ? "queued" : "queue full, dropped");
    }
    //! [select]
  }
  {
    //! [waitgroup]
    goc::WaitGroup wg;
    goc::Mutex mu;
    int total = 0;
    for (int worker = 1; worker <= 3; ++worker) {
      wg.add(1);  // before go(), never inside the goroutine
      goc::go([&wg, &mu, &total, worker] {
        {
          std::lock_guard guard(mu);  // mu.Lock(); defer mu.Unlock()
          total += worker;
        }
        wg.done();  // after the unlock: once wait() returns, mu is gone
      });
    }
    wg.wait();
    std::printf("total = %d\n", total);
    //! [waitgroup]
  }
  {
    //! [done]
    auto done = goc::make_chan<goc::Empty>();  // done := make(chan struct{})
    goc::WaitGroup stopped;
    for (int i = 0; i < 3; ++i) {
      stopped.add(1);
      goc::go([=, &stopped] {
        done.recv();  // a receive on a closed channel returns at once
        stopped.done();
      });
    }
    done.close();  // one close wakes every receiver: a broadcast
    stopped.wait();
    std::printf("all 3 workers saw done\n");
    //! [done]
  }
  {
    //! [panic]
    auto ch = goc::make_chan<int>(1);
    ch.close();
    try {
      ch.send(1);
    } catch (const goc::Panic& p) {  // Go would need recover()
      std::printf("panic: %s\n", p.what());
    }
    //! [panic]
  }
  {
    //! [leakcheck]
    goc::LeakCheck check;
    auto never = goc::make_chan<int>();
    goc::go([=] { never.recv(); });  // blocks forever: a leak
    auto leaked = check.leaks(std::chrono::milliseconds(50));
    std::printf("%zu goroutine leaked, blocked in [%s]\n", leaked.size(),
                leaked.empty() ? "" : leaked[0].state.c_str());
    never.close();  // let it finish before the program ends
    //! [leakcheck]
  }
}
