// WRONG: looks at done only between jobs (a non-blocking check), then waits on jobs and results alone, so it cannot be cancelled while it waits.
#include "worker.hpp"

#include <goc/goc.hpp>

void worker(goc::RecvChan<int> jobs, goc::SendChan<Result> results,
            goc::RecvChan<goc::Empty> done) {
  for (;;) {
    bool cancelled = goc::select(goc::recv_case(done), goc::default_case()) == 0;
    if (cancelled) return;
    auto [job, ok] = jobs.recv_ok();
    if (!ok) return;
    results.send(process_job(job));
  }
}
