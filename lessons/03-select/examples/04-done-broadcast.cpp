// Lesson 3, example 04: broadcasting cancellation by closing a done channel.
//
// A send reaches one receiver; a close reaches all of them. A receive from a
// closed channel is ready at once, for every goroutine, forever after. So a
// channel that is never sent on, only closed, is a broadcast signal: each
// worker adds `done` as a case to its select, and one close() stops them all.
//
// Each worker waits for jobs that never come; main closes `done`, and all
// three stop and report it.
#include <algorithm>
#include <cstdio>
#include <vector>

#include "goc/goc.hpp"

//! [worker]
// Go:
//     func worker(id int, jobs <-chan int, done <-chan struct{}, stopped chan<- int) {
//         for {
//             select {
//             case j := <-jobs:
//                 process(j)
//             case <-done:
//                 stopped <- id
//                 return
//             }
//         }
//     }
void worker(int id, goc::RecvChan<int> jobs, goc::RecvChan<goc::Empty> done,
            goc::SendChan<int> stopped) {
  for (;;) {
    int chosen = goc::select(goc::recv_case(jobs, [](int job) { (void)job; }),
                             goc::recv_case(done));
    if (chosen == 1) break;  // done was closed
  }
  stopped.send(id);
}
//! [worker]

int main() {
  auto jobs = goc::make_chan<int>();
  auto stopped = goc::make_chan<int>();

  //! [broadcast]
  // Go:
  //     done := make(chan struct{})
  //     for id := 1; id <= 3; id++ {
  //         go worker(id, jobs, done, stopped)
  //     }
  //     close(done) // every worker sees it
  auto done = goc::make_chan<goc::Empty>();
  for (int id = 1; id <= 3; ++id) goc::go(worker, id, jobs, done, stopped);
  done.close();  // one close, every worker sees it
  //! [broadcast]

  std::vector<int> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(stopped.recv());
  std::sort(ids.begin(), ids.end());  // they stop in any order
  for (int id : ids) std::printf("worker %d stopped\n", id);
}
