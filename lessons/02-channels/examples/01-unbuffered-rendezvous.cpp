// Lesson 2, example 01: an unbuffered channel is a meeting point.
//
// A channel made with no capacity holds no values. A send completes only when
// a receiver takes the value, and a receive only when a sender offers one: the
// two goroutines meet (a "rendezvous"), and whichever arrives first waits.
//
// Here main dawdles for 300ms before receiving, so the goroutine's send has to
// wait about that long. The meeting also orders memory: what the sender wrote
// before sending is visible to the receiver after receiving, with no lock.
#include <cstdio>
#include <string>

#include "goc/goc.hpp"

using namespace std::chrono_literals;

int main() {
  std::string note;                  // written by the goroutine, read by main
  auto waited = goc::make_chan<goc::Clock::duration>(1);

  //! [rendezvous]
  // Go:
  //     messages := make(chan string) // unbuffered
  //     go func() {
  //         note = "written before the send"
  //         messages <- "ping" // waits for a receiver
  //     }()
  //     time.Sleep(300 * time.Millisecond)
  //     msg := <-messages
  auto messages = goc::make_chan<std::string>();
  goc::go([messages, waited, &note] {
    note = "written before the send";
    auto start = goc::Clock::now();
    messages.send("ping");  // blocks until main receives
    waited.send(goc::Clock::now() - start);
  });
  goc::sleep_for(300ms);  // the receiver is late
  std::string msg = messages.recv();
  //! [rendezvous]

  std::printf("received: %s\n", msg.c_str());
  std::printf("note: %s\n", note.c_str());  // safe: the send happened before the receive
  bool sender_waited = waited.recv() >= 100ms;
  std::printf("the sender waited for the receiver: %s\n", sender_waited ? "yes" : "no");
}
