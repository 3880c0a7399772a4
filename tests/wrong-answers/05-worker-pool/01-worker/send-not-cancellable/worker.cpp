// WRONG: selects on done while waiting for a job, but sends the result with a bare send: blocked for ever once nobody receives.
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
    results.send(process_job(job));
  }
}
