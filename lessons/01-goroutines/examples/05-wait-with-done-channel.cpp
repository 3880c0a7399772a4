// Lesson 1, example 05: waiting for one goroutine with a done channel.
//
// For a single goroutine a channel is the other common way to wait: the
// goroutine closes (or sends on) `done` as its last step, and the parent
// receives from it. goc::Empty is Go's struct{}: the channel carries no data,
// only the moment at which the goroutine finished.
//
// The close happens before the receive that it unblocks returns, so the
// string the goroutine wrote is safe to read afterwards.
#include <cstdio>
#include <string>

#include "goc/goc.hpp"

using namespace std::chrono_literals;

int main() {
  std::string greeting;

  //! [done-channel]
  // Go:
  //     done := make(chan struct{})
  //     go func() {
  //         defer close(done)
  //         greeting = "hello from the goroutine"
  //     }()
  //     <-done
  auto done = goc::make_chan<goc::Empty>();
  goc::go([done, &greeting] {
    goc::sleep_for(50ms);
    greeting = "hello from the goroutine";
    done.close();  // "I am finished"
  });
  done.recv();  // blocks until the close
  //! [done-channel]

  std::printf("%s\n", greeting.c_str());
}
