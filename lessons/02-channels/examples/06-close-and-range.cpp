// Lesson 2, example 06: closing means "no more values"; range until closed.
//
// close() is a message from the sender: nothing more will come. It does not
// throw away what is already buffered: receivers still get every value that
// was sent, and only then see that the channel is closed. `for (auto v : ch)`
// (Go's `for v := range ch`) receives until exactly that moment: closed AND
// drained. A range over a channel that is never closed waits forever.
#include <cstdio>

#include "goc/goc.hpp"

int main() {
  //! [close-range]
  // Go:
  //     jobs := make(chan int, 5)
  //     go func() {
  //         for j := 1; j <= 3; j++ {
  //             jobs <- j
  //         }
  //         close(jobs) // the sender says: that was all
  //     }()
  //     for j := range jobs {
  //         fmt.Println("got job", j)
  //     }
  //     fmt.Println("channel closed and drained")
  auto jobs = goc::make_chan<int>(5);
  goc::go([jobs] {
    for (int j = 1; j <= 3; ++j) jobs.send(j);
    jobs.close();  // the sender says: that was all
  });
  for (int j : jobs) std::printf("got job %d\n", j);
  std::printf("channel closed and drained\n");
  //! [close-range]

  //! [close-keeps-buffered]
  // Values buffered before close() are still delivered after it.
  auto letters = goc::make_chan<char>(3);
  letters.send('a');
  letters.send('b');
  letters.close();
  for (char c : letters) std::printf("after close, still got %c\n", c);
  //! [close-keeps-buffered]
}
