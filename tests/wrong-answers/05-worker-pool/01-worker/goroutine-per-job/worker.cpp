// WRONG: starts a goroutine per job to "go faster": unbounded concurrency, and it returns while its results are still being sent.
#include "worker.hpp"

#include <goc/goc.hpp>

void worker(goc::RecvChan<int> jobs, goc::SendChan<Result> results,
            goc::RecvChan<goc::Empty> done) {
  for (;;) {
    int job = 0;
    bool have_job = false;
    goc::select(goc::recv_case(jobs,
                               [&](int n, bool ok) {
                                 job = n;
                                 have_job = ok;
                               }),
                goc::recv_case(done));
    if (!have_job) return;
    goc::go([=] { goc::select(goc::send_case(results, process_job(job)), goc::recv_case(done)); });
  }
}
