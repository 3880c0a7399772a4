// Lesson 3, example 02: giving up after a timeout with time_after.
//
// goc::time_after(d) (Go's time.After) returns a channel that delivers one
// value when d has passed. As a select case next to the real operation, it
// bounds the wait: whichever comes first wins.
//
// Note the result channels have room for one value. When the timeout wins, the
// worker still finishes later and sends its result; with an unbuffered channel
// nobody would ever receive it and the worker would block forever (a goroutine
// leak). The buffer lets it deliver and exit.
#include <cstdio>
#include <string>

#include "goc/goc.hpp"

using namespace std::chrono_literals;

// Starts work that takes `how_long` and returns the channel its result arrives on.
goc::RecvChan<std::string> start_work(std::string name, goc::Clock::duration how_long) {
  auto result = goc::make_chan<std::string>(1);  // room for the late result
  goc::go([=] {
    goc::sleep_for(how_long);
    result.send(name + " done");
  });
  return result;
}

int main() {
  //! [timeout]
  // Go:
  //     select {
  //     case res := <-slowWork:
  //         fmt.Println(res)
  //     case <-time.After(100 * time.Millisecond):
  //         fmt.Println("timeout waiting for slow work")
  //     }
  auto slow_work = start_work("slow work", 2s);
  goc::select(
      goc::recv_case(slow_work, [](std::string res) { std::printf("%s\n", res.c_str()); }),
      goc::recv_case(goc::time_after(100ms),
                     [] { std::printf("timeout waiting for slow work\n"); }));
  //! [timeout]

  // The same pattern when the work is quicker than the limit.
  auto quick_work = start_work("quick work", 10ms);
  goc::select(
      goc::recv_case(quick_work, [](std::string res) { std::printf("%s\n", res.c_str()); }),
      goc::recv_case(goc::time_after(5s), [] { std::printf("timeout waiting for quick work\n"); }));
}
