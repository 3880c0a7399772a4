// Reference solution for 03-select/03-cancel-workers.
#include "workers.hpp"

#include <memory>

namespace {

// What the workers and the stop function share. It must outlive
// start_workers(), so it lives in a shared_ptr that each of them holds.
struct Crew {
  goc::Channel<goc::Empty> done = goc::make_chan<goc::Empty>();
  goc::WaitGroup exited;
};

}  // namespace

std::function<void()> start_workers(int n, goc::RecvChan<int> jobs,
                                    std::function<void(int)> handle) {
  auto crew = std::make_shared<Crew>();
  crew->exited.add(n);  // before any worker starts, so wait() cannot miss one
  for (int w = 0; w < n; ++w) {
    goc::go([crew, jobs, handle] {
      bool stopping = false;
      while (!stopping) {
        // Wait for whichever comes first: a job, or done being closed. A
        // closed done is ready forever, for every worker, so one close()
        // reaches them all. A job being handled is finished before the
        // worker looks at done again.
        goc::select(goc::recv_case(jobs, [&](int job) { handle(job); }),
                    goc::recv_case(crew->done, [&] { stopping = true; }));
      }
      crew->exited.done();
    });
  }
  return [crew] {
    // Only the stopper closes done, and only once (stop is called once).
    crew->done.close();
    // Every worker calls done() right before returning, so after this wait
    // no worker will receive from jobs again.
    crew->exited.wait();
  };
}
