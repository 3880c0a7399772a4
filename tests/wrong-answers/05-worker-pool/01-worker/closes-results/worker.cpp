// WRONG: closes results when jobs runs out, as if it were the only sender: the other workers then send on (or close) a closed channel.
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
    if (!have_job) break;
    if (goc::select(goc::send_case(results, process_job(job)), goc::recv_case(done)) == 1) break;
  }
  results.close();  // "no more results from me" is not "no more results"
}
