// Lesson 3, example 03: non-blocking channel operations with default_case.
//
// A select with a default_case never waits: if no other case is ready right
// now, the default runs instead. That turns any receive or send into a "try":
// take a message if one is there, deliver one if someone is ready for it,
// otherwise carry on.
#include <cstdio>
#include <string>

#include "goc/goc.hpp"

int main() {
  auto messages = goc::make_chan<std::string>();  // unbuffered, nobody listening

  //! [try-receive]
  // Go:
  //     select {
  //     case msg := <-messages:
  //         fmt.Println("received", msg)
  //     default:
  //         fmt.Println("no message waiting")
  //     }
  goc::select(
      goc::recv_case(messages, [](std::string msg) { std::printf("received %s\n", msg.c_str()); }),
      goc::default_case([] { std::printf("no message waiting\n"); }));
  //! [try-receive]

  //! [try-send]
  // Go:
  //     select {
  //     case messages <- "hi":
  //         fmt.Println("sent")
  //     default:
  //         fmt.Println("nobody ready to receive, message dropped")
  //     }
  goc::select(goc::send_case(messages, "hi", [] { std::printf("sent\n"); }),
              goc::default_case([] { std::printf("nobody ready to receive, message dropped\n"); }));
  //! [try-send]

  //! [try-buffered]
  // With buffer space the send is ready even without a receiver.
  auto mailbox = goc::make_chan<std::string>(1);
  for (int i = 1; i <= 2; ++i) {
    int chosen = goc::select(goc::send_case(mailbox, "note " + std::to_string(i)),
                             goc::default_case());
    std::printf("try-send %d: %s\n", i, chosen == 0 ? "stored" : "mailbox full");
  }
  //! [try-buffered]
}
