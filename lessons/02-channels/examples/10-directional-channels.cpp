// Lesson 2, example 10: send-only and receive-only views.
//
// A function that should only send takes a goc::SendChan<T> (Go's chan<- T);
// one that should only receive takes a goc::RecvChan<T> (Go's <-chan T). A
// Channel<T> converts to either view implicitly, and the view refers to the
// same channel. Using the wrong direction is then a compile error, so the
// signature documents, and enforces, who does what. Closing belongs to the
// sending side, so SendChan has close() and RecvChan does not.
#include <cstdio>

#include "goc/goc.hpp"

//! [views]
// Go:
//     func produce(out chan<- int) {
//         for i := 1; i <= 3; i++ {
//             out <- i * 10
//         }
//         close(out)
//     }
//
//     func consume(in <-chan int) {
//         for v := range in {
//             fmt.Println("consumed", v)
//         }
//     }
void produce(goc::SendChan<int> out) {
  for (int i = 1; i <= 3; ++i) out.send(i * 10);
  out.close();
  // out.recv();  // does not compile: a send-only view cannot receive
}

void consume(goc::RecvChan<int> in) {
  for (int v : in) std::printf("consumed %d\n", v);
  // in.send(1);  // does not compile: a receive-only view cannot send
  // in.close();  // does not compile: the receiving side never closes
}
//! [views]

int main() {
  //! [wiring]
  // Go:
  //     ch := make(chan int)
  //     go produce(ch)
  //     consume(ch)
  auto ch = goc::make_chan<int>();
  goc::go(produce, ch);  // Channel<int> converts to SendChan<int>
  consume(ch);           // ... and to RecvChan<int>
  //! [wiring]
}
