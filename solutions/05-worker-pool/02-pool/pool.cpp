// Reference solution for 05-worker-pool/02-pool.
//
// Who owns what, which is the whole design:
//   jobs     sent on and closed by the producer (its only sender);
//   results  sent on by the workers, closed by the closer once the WaitGroup
//            says every worker has returned (no sender is left);
//   done     closed by the collector alone, exactly once; everybody else only
//            receives from it, through a RecvChan view that cannot close.
#include "pool.hpp"

#include <utility>
#include <vector>

#include <goc/goc.hpp>

namespace {

// The worker of exercise 01: every wait is also a wait on done.
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
    if (goc::select(goc::send_case(results, process_job(job)), goc::recv_case(done)) == 1) return;
  }
}

}  // namespace

PoolOutcome run_worker_pool(const std::vector<int>& inputs, int worker_count,
                            goc::Channel<goc::Empty> done) {
  // Unbuffered: a worker hands over a result only when the collector takes
  // it, so no worker runs far ahead of the collector, and once done is
  // closed few jobs are still in progress.
  auto jobs = goc::make_chan<int>();
  auto results = goc::make_chan<Result>();

  // Exactly worker_count workers whatever the number of inputs: the bound on
  // concurrency comes from here, not from the input size. add() before go(),
  // so the closer can never see a zero count too early.
  //
  // The WaitGroup may live on this stack: the closer's wait() returns before
  // it closes results, and we return only after seeing results closed.
  goc::WaitGroup workers;
  workers.add(worker_count);
  for (int w = 0; w < worker_count; ++w) {
    goc::go([jobs, results, done, &workers] {
      worker(jobs, results, done);
      workers.done();
    });
  }

  // The producer gets its own copy of the inputs: after an error we return
  // while it may still be between two selects, and the caller's vector may
  // be gone by then. It is the only sender on jobs, so it closes jobs, and it
  // does so on both paths: the workers leave their loop either way.
  goc::go([jobs, done, inputs] {
    for (int n : inputs) {
      if (goc::select(goc::send_case(jobs, n), goc::recv_case(done)) == 1) break;
    }
    jobs.close();
  });

  // The closer: results may be closed only when no worker can send any more.
  goc::go([results, &workers] {
    workers.wait();
    results.close();
  });

  // The collector: drain results to the end. Draining, rather than leaving
  // at the first error, is what lets every worker finish its last send (or
  // see done) and lets the closer close results.
  PoolOutcome outcome;
  for (Result r : results) {
    if (!r.error.empty()) {
      // Only the first error closes done: first_error is non-empty from
      // then on, so this branch runs once, and nobody else ever closes it.
      if (outcome.first_error.empty()) {
        outcome.first_error = r.error;
        done.close();  // stop the producer and the workers
      }
      continue;
    }
    outcome.results.push_back(std::move(r));
  }
  return outcome;
}
