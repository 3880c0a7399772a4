// WRONG: stop() closes done and returns at once: workers may still be handling a job (and running) after stop() returned.
#include "workers.hpp"

#include <memory>

std::function<void()> start_workers(int n, goc::RecvChan<int> jobs,
                                    std::function<void(int)> handle) {
  auto done = goc::make_chan<goc::Empty>();
  for (int w = 0; w < n; ++w) {
    goc::go([done, jobs, handle] {
      bool stopping = false;
      while (!stopping) {
        goc::select(goc::recv_case(jobs, [&](int job) { handle(job); }),
                    goc::recv_case(done, [&] { stopping = true; }));
      }
    });
  }
  return [done] { done.close(); };
}
