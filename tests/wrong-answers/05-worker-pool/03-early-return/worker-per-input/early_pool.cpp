// WRONG: starts one uncancellable_worker per input instead of worker_count of them: unbounded concurrency.
#include "early_pool.hpp"

#include <memory>
#include <utility>

#include <goc/goc.hpp>

PoolOutcome run_worker_pool_early(const std::vector<int>& inputs, int worker_count,
                                  goc::Channel<goc::Empty> done) {
  auto jobs = goc::make_chan<int>();
  auto results = goc::make_chan<Result>();

  auto workers = std::make_shared<goc::WaitGroup>();
  (void)worker_count;
  workers->add(static_cast<std::int64_t>(inputs.size()));
  for (std::size_t w = 0; w < inputs.size(); ++w) {
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
      goc::go([results] {
        for (Result ignored : results) (void)ignored;
      });
      return outcome;
    }
    outcome.results.push_back(std::move(r));
  }
  return outcome;
}
