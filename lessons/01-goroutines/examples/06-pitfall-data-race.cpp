// Lesson 1, example 06: PITFALL, a data race on a shared variable.
//
// Four goroutines each add 100000 to one counter (a `start` channel lines
// them up so that they really run at the same time). `++counter` looks like one
// step but is three: read the value, add one, write it back. When two
// goroutines interleave those steps, one increment overwrites the other and
// is lost, so the total usually comes out below 400000, and differently on
// every run.
//
// Worse, in C++ (as in Go) two unsynchronized accesses to the same variable,
// at least one of them a write, are a data race: undefined behaviour, not
// just a wrong number. ThreadSanitizer (the tsan preset) reports this program
// with "WARNING: ThreadSanitizer: data race"; Go's `go run -race` does the
// same for the Go version. The fix is example 07.
#include <cstdio>

#include "goc/goc.hpp"

int main() {
  auto start = goc::make_chan<goc::Empty>();
  //! [race]
  // Go:
  //     counter := 0
  //     var wg sync.WaitGroup
  //     for g := 0; g < 4; g++ {
  //         wg.Add(1)
  //         go func() {
  //             defer wg.Done()
  //             <-start
  //             for i := 0; i < 100000; i++ {
  //                 counter++ // DATA RACE
  //             }
  //         }()
  //     }
  //     close(start)
  //     wg.Wait()
  long counter = 0;
  goc::WaitGroup wg;
  for (int g = 0; g < 4; ++g) {
    wg.add(1);
    goc::go([&counter, &wg, start] {
      start.recv();  // line up, so that the goroutines really overlap
      for (int i = 0; i < 100000; ++i) {
        ++counter;  // DATA RACE: read-modify-write with no synchronization
      }
      wg.done();
    });
  }
  start.close();  // go!
  wg.wait();
  //! [race]
  std::printf("counter = %ld (4 goroutines x 100000 increments = 400000 expected)\n", counter);
}
