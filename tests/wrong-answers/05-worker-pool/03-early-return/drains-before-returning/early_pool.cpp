// WRONG: keeps receiving until results is closed after the first error, like exercise 02: no goroutine left behind, but not an early return: it waits for every job in progress.
#include "early_pool.hpp"

#include <memory>
#include <utility>

#include <goc/goc.hpp>

PoolOutcome run_worker_pool_early(const std::vector<int>& inputs, int worker_count,
                                  goc::Channel<goc::Empty> done) {
  auto jobs = goc::make_chan<int>();
  auto results = goc::make_chan<Result>();

  auto workers = std::make_shared<goc::WaitGroup>();
  workers->add(worker_count);
  for (int w = 0; w < worker_count; ++w) {
    goc::go([jobs, results, workers] {
      uncancellable_worker(jobs, results);
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
  for (;;) {
    auto [r, ok] = results.recv_ok();
    if (!ok) break;
    if (!r.error.empty()) {
      outcome.first_error = r.error;
      done.close();
      for (Result ignored : results) (void)ignored;
      return outcome;
    }
    outcome.results.push_back(std::move(r));
  }
  return outcome;
}
