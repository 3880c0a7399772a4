// Lesson 4, example 01: WaitGroup, the three rules.
//
// 1. The parent calls add() BEFORE starting each goroutine.
// 2. Each goroutine calls done() when it finishes, as its very last step
//    (Go writes `defer wg.Done()` as the goroutine's first line).
// 3. The parent calls wait(), which returns once the counter is back to zero.
//
// The goroutines below take different times; wait() returns only after the
// slowest, and everything they wrote is visible to main afterwards.
#include <cstdio>
#include <string>
#include <vector>

#include "goc/goc.hpp"

using namespace std::chrono_literals;

//! [worker]
// Go:
//     func worker(id int, wg *sync.WaitGroup, finished []string) {
//         defer wg.Done()
//         time.Sleep(time.Duration(id*30) * time.Millisecond)
//         finished[id] = fmt.Sprintf("worker %d done", id)
//     }
void worker(int id, goc::WaitGroup& wg, std::vector<std::string>& finished) {
  goc::sleep_for(id * 30ms);  // the workers take different times
  finished[id] = "worker " + std::to_string(id) + " done";
  wg.done();  // rule 2: the very last step
}
//! [worker]

int main() {
  const int workers = 4;
  std::vector<std::string> finished(workers);

  //! [rules]
  // Go:
  //     var wg sync.WaitGroup
  //     for id := 0; id < 4; id++ {
  //         wg.Add(1) // rule 1
  //         go worker(id, &wg, finished)
  //     }
  //     wg.Wait() // rule 3
  goc::WaitGroup wg;
  for (int id = 0; id < workers; ++id) {
    wg.add(1);  // rule 1: before go()
    goc::go([id, &wg, &finished] { worker(id, wg, finished); });
  }
  wg.wait();  // rule 3: returns after the slowest worker's done()
  //! [rules]

  for (const auto& line : finished) std::printf("%s\n", line.c_str());
}
