// Lesson 2, example 02: a buffered channel holds values without a receiver.
//
// make_chan<T>(n) gives the channel room for n values. A send only waits when
// the buffer is full, a receive only when it is empty; values come out in the
// order they went in. len() and cap() tell how many values are waiting and how
// many fit (a snapshot: other goroutines may change it a moment later).
//
// So main can send twice with nobody receiving yet; a third send would block
// until someone made room.
#include <cstdio>
#include <string>

#include "goc/goc.hpp"

int main() {
  //! [buffered]
  // Go:
  //     queue := make(chan string, 2)
  //     queue <- "first"
  //     queue <- "second" // no receiver needed: there is room
  //     fmt.Println(len(queue), cap(queue))
  //     fmt.Println(<-queue)
  //     fmt.Println(<-queue)
  auto queue = goc::make_chan<std::string>(2);
  queue.send("first");
  queue.send("second");  // still no receiver, still no waiting
  std::printf("len %zu, cap %zu\n", queue.len(), queue.cap());
  std::printf("%s\n", queue.recv().c_str());
  std::printf("%s\n", queue.recv().c_str());
  //! [buffered]
}
