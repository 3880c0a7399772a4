// Lesson 1, example 03: waiting by sleeping (what NOT to do).
//
// A tempting way to "wait" for a goroutine is to sleep for a while and hope
// it has finished by then. That is a guess about timing, and guesses are
// wrong sometimes: on a loaded machine, with a bigger input, under a
// debugger or ThreadSanitizer. When the guess is too short the result is
// missing; when it is too long the program wastes time on every run.
//
// Here the work takes longer than the guess, so the sleep ends with no
// result, and main returns: the goroutine's work is lost (example 02).
#include <cstdio>
#include <string>

#include "goc/goc.hpp"

using namespace std::chrono_literals;

int main() {
  // Room for one result, so the goroutine never blocks on delivering it.
  auto results = goc::make_chan<std::string>(1);

  //! [sleep-wait]
  // Go:
  //     go func() { results <- slowReport() }()
  //     time.Sleep(100 * time.Millisecond) // "surely long enough"
  goc::go([=] {
    goc::sleep_for(2s);  // today the work is slow
    results.send("report");
  });
  goc::sleep_for(100ms);  // BAD: a guess, not a wait
  std::printf("after sleeping 100ms: %zu of 1 results ready\n", results.len());
  //! [sleep-wait]
  std::printf("main returns, and the goroutine's work is lost\n");
}
