// WRONG: closes the pool's done at every error result, not only the first: the second close panics.
#include "ordered_pool.hpp"

#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

#include <goc/goc.hpp>

namespace {

struct Job {
  std::size_t index = 0;
  int input = 0;
};

struct Answer {
  std::size_t index = 0;
  JobOutput output;
};

void worker(goc::RecvChan<Job> jobs, goc::SendChan<Answer> results, goc::RecvChan<goc::Empty> done,
            goc::RecvChan<goc::Empty> cancel, const JobFunction& job) {
  for (;;) {
    Job next;
    bool have_job = false;
    goc::select(goc::recv_case(jobs,
                               [&](Job j, bool ok) {
                                 next = j;
                                 have_job = ok;
                               }),
                goc::recv_case(done), goc::recv_case(cancel));
    if (!have_job) return;
    Answer answer{next.index, job(next.input)};
    int chosen = goc::select(goc::send_case(results, std::move(answer)), goc::recv_case(done),
                             goc::recv_case(cancel));
    if (chosen != 0) return;
  }
}

}  // namespace

OrderedOutcome run_ordered_pool(const std::vector<int>& inputs, int worker_count, JobFunction job,
                                goc::RecvChan<goc::Empty> cancel) {
  auto jobs = goc::make_chan<Job>();
  auto results = goc::make_chan<Answer>();
  auto done = goc::make_chan<goc::Empty>();

  goc::WaitGroup workers;
  workers.add(worker_count);
  for (int w = 0; w < worker_count; ++w) {
    goc::go([jobs, results, done, cancel, &job, &workers] {
      worker(jobs, results, done, cancel, job);
      workers.done();
    });
  }

  goc::go([jobs, done, cancel, inputs] {
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      int chosen = goc::select(goc::send_case(jobs, Job{i, inputs[i]}), goc::recv_case(done),
                               goc::recv_case(cancel));
      if (chosen != 0) break;
    }
    jobs.close();
  });

  goc::go([results, &workers] {
    workers.wait();
    results.close();
  });

  std::vector<long long> values(inputs.size());
  std::size_t answered = 0;
  std::string first_error;
  for (Answer a : results) {
    if (!a.output.error.empty()) {
      if (first_error.empty()) first_error = std::move(a.output.error);
      done.close();
      continue;
    }
    values[a.index] = a.output.value;
    ++answered;
  }

  OrderedOutcome outcome;
  if (!first_error.empty()) {
    outcome.error = std::move(first_error);
  } else if (answered < inputs.size()) {
    outcome.error = canceled_error;
  } else {
    outcome.values = std::move(values);
  }
  return outcome;
}
