// WRONG: the collector returns at the first error without closing done or draining: the workers stay blocked sending results and the producer sending jobs.
#include "pool.hpp"

#include <memory>
#include <utility>
#include <vector>

#include <goc/goc.hpp>

namespace {

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
  auto jobs = goc::make_chan<int>();
  auto results = goc::make_chan<Result>();

  auto workers = std::make_shared<goc::WaitGroup>();
  workers->add(worker_count);
  for (int w = 0; w < worker_count; ++w) {
    goc::go([jobs, results, done, workers] {
      worker(jobs, results, done);
      workers->done();
    });
  }

  goc::go([jobs, done, inputs] {
    for (int n : inputs) {
      if (goc::select(goc::send_case(jobs, n), goc::recv_case(done)) == 1) break;
    }
    jobs.close();
  });

  goc::go([results, workers] {
    workers->wait();
    results.close();
  });

  PoolOutcome outcome;
  for (Result r : results) {
    if (!r.error.empty()) {
      outcome.first_error = r.error;
      return outcome;  // got what we need: leave
    }
    outcome.results.push_back(std::move(r));
  }
  return outcome;
}
