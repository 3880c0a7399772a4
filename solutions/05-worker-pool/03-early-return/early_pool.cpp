// Reference solution for 05-worker-pool/03-early-return.
//
// The choice made here is (a), draining in the background. The alternative,
// (b), is a results buffer of inputs.size(): every job sends at most one
// result, so no send can ever find the buffer full and no drainer is needed,
// at the price of memory for the worst case. A buffer of worker_count is NOT
// enough: after done is closed the producer may still hand out a job or two
// (select picks at random among ready cases), so more results than workers
// can still arrive.
#include "early_pool.hpp"

#include <memory>
#include <utility>

#include <goc/goc.hpp>

PoolOutcome run_worker_pool_early(const std::vector<int>& inputs, int worker_count,
                                  goc::Channel<goc::Empty> done) {
  auto jobs = goc::make_chan<int>();
  auto results = goc::make_chan<Result>();

  // On the heap, shared with the goroutines: we may return while the closer
  // is still waiting on it, so it must not live in this stack frame.
  auto workers = std::make_shared<goc::WaitGroup>();
  workers->add(worker_count);
  for (int w = 0; w < worker_count; ++w) {
    goc::go([jobs, results, workers] {
      uncancellable_worker(jobs, results);
      workers->done();
    });
  }

  // The producer is what done actually stops: the workers cannot see done,
  // but once jobs is closed they leave their range loop after the job they
  // hold. It copies inputs, since it may outlive this call.
  goc::go([jobs, done, inputs] {
    for (int n : inputs) {
      if (goc::select(goc::send_case(jobs, n), goc::recv_case(done)) == 1) break;
    }
    jobs.close();
  });

  goc::go([results, workers] {
    workers->wait();
    results.close();  // ends the drainer's loop below, or the collector's
  });

  PoolOutcome outcome;
  for (;;) {
    auto [r, ok] = results.recv_ok();
    if (!ok) break;  // closed: every worker has returned, no error came
    if (!r.error.empty()) {
      outcome.first_error = r.error;
      done.close();  // the only close: we return right away
      // The workers still send the results of the jobs they hold, with a
      // send nothing can interrupt. Someone has to take them: this drainer
      // does, until the closer closes results after the last worker.
      goc::go([results] {
        for (Result ignored : results) (void)ignored;
      });
      return outcome;
    }
    outcome.results.push_back(std::move(r));
  }
  return outcome;  // no error: done was never needed
}
