// Reference solution for 05-worker-pool/04-ordered-generic.
//
// The pool of exercise 02 with three changes: every job carries its index
// (so the collector can put each value in its place), the work is the
// caller's function, and the caller's cancel is watched wherever done is.
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

// The worker of exercise 01, with one more case in each select: the caller's
// cancel. A nil cancel is never ready, so it simply never wins.
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
  // The pool's own stop signal, for job errors. It cannot be the caller's
  // cancel: that is receive-only here, and closing someone else's channel
  // is never ours to do (they might close it too, and that panics).
  auto done = goc::make_chan<goc::Empty>();

  // Every worker calls the same function object. The collector drains
  // results until the closer closes it, after the last worker, so no call
  // of `job` can outlive this function: a reference to the parameter is safe.
  goc::WaitGroup workers;
  workers.add(worker_count);
  for (int w = 0; w < worker_count; ++w) {
    goc::go([jobs, results, done, cancel, &job, &workers] {
      worker(jobs, results, done, cancel, job);
      workers.done();
    });
  }

  // The producer copies the inputs (it may finish just after we return) and
  // stops on either signal; it closes jobs on every path.
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

  // Results arrive in whatever order the jobs finish; the index puts each
  // one in its place. Counting them tells a complete run from a cancelled
  // one without looking at cancel (which may close after the last job).
  std::vector<long long> values(inputs.size());
  std::size_t answered = 0;
  std::string first_error;
  for (Answer a : results) {
    if (!a.output.error.empty()) {
      if (first_error.empty()) {  // true once: the only close of done
        first_error = std::move(a.output.error);
        done.close();
      }
      continue;
    }
    values[a.index] = a.output.value;
    ++answered;
  }

  OrderedOutcome outcome;
  if (!first_error.empty()) {
    outcome.error = std::move(first_error);
  } else if (answered < inputs.size()) {
    outcome.error = canceled_error;  // the workers stopped early: cancel was closed
  } else {
    outcome.values = std::move(values);
  }
  return outcome;
}
