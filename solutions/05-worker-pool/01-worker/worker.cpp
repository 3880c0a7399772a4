// Reference solution for 05-worker-pool/01-worker.
#include "worker.hpp"

#include <utility>

#include <goc/goc.hpp>

void worker(goc::RecvChan<int> jobs, goc::SendChan<Result> results,
            goc::RecvChan<goc::Empty> done) {
  for (;;) {
    // Wait for a job or for done, whichever is ready first. Waiting on jobs
    // alone would keep this worker alive as long as nobody closes jobs.
    int job = 0;
    bool have_job = false;
    goc::select(goc::recv_case(jobs,
                               [&](int n, bool ok) {
                                 job = n;
                                 have_job = ok;  // false: jobs is closed and drained
                               }),
                goc::recv_case(done));  // closed: the pool is shutting down
    if (!have_job) return;

    Result result = process_job(job);

    // The send is a wait too: if the collector has stopped receiving, a bare
    // results.send() would block forever. Selecting on done as well means a
    // cancelled worker always gets out.
    int chosen = goc::select(goc::send_case(results, std::move(result)), goc::recv_case(done));
    if (chosen == 1) return;
  }
  // Not closing results is deliberate: the other workers still send on it,
  // and only whoever knows that every sender has finished may close it.
}
