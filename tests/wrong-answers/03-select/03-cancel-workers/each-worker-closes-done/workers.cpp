// WRONG: each worker, a receiver of done, closes it again "to pass the signal on": the second close panics.
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
      bool stopping = false;
      while (!stopping) {
        goc::select(goc::recv_case(jobs, [&](int job) { handle(job); }),
                    goc::recv_case(crew->done, [&] { stopping = true; }));
      }
      crew->done.close();
      crew->exited.done();
    });
  }
  return [crew] {
    crew->done.close();
    crew->exited.wait();
  };
}
