// WRONG: stop() closes done, but the workers only ever wait on jobs, so they never see it and stop() waits forever.
#include "workers.hpp"

#include <memory>

namespace {
struct Crew {
  goc::Channel<goc::Empty> done = goc::make_chan<goc::Empty>();
  goc::WaitGroup exited;
};
}  // namespace

std::function<void()> start_workers(int n, goc::RecvChan<int> jobs,
                                    std::function<void(int)> handle) {
  auto crew = std::make_shared<Crew>();
  crew->exited.add(n);
  for (int w = 0; w < n; ++w) {
    goc::go([crew, jobs, handle] {
      for (int job : jobs) handle(job);
      crew->exited.done();
    });
  }
  return [crew] {
    crew->done.close();
    crew->exited.wait();
  };
}
