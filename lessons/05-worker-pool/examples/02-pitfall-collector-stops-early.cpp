// Lesson 5, example 02: PITFALL, the collector stops early and strands workers.
//
// A pool without a done channel, whose worker sends results with a plain,
// uncancellable send. The collector returns as soon as it sees the first
// error. Nobody receives from `results` after that, so the next time the
// worker finishes a job it blocks in its send forever; the producer then
// blocks handing out the next job, and the closer waits forever for the
// WaitGroup. The function has returned and looks fine, but three goroutines
// are stuck for the rest of the program: a goroutine leak. In a server that
// runs this per request, they pile up until the process runs out of threads.
//
// One worker keeps the order of events fixed, so the leak shows on every run;
// with more workers it depends on timing, which makes it worse, not better.
// goc::LeakCheck (the C++ form of Go's goleak) finds the stranded goroutines.
// Examples 03 and 04 are two fixes; example 01 avoids it with cancellable sends.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "goc/goc.hpp"

struct Job {
  int id = 0;
  int input = 0;
};

struct Result {
  int job_id = 0;
  int input = 0;
  int value = 0;
  std::string error;
};

Result process(const Job& job) {
  if (job.input < 0) return Result{job.id, job.input, 0, "negative input"};
  return Result{job.id, job.input, job.input * job.input, ""};
}

void report(const Result& r) {
  if (r.error.empty()) std::printf("job %d: input %d -> %d\n", r.job_id, r.input, r.value);
  else std::printf("job %d: input %d -> error: %s\n", r.job_id, r.input, r.error.c_str());
}

std::string first_error(const std::vector<int>& inputs) {
  auto jobs = goc::make_chan<Job>();
  auto results = goc::make_chan<Result>();  // unbuffered
  // Shared ownership: these goroutines may outlive this function (here they do).
  auto wg = std::make_shared<goc::WaitGroup>();

  wg->add(1);
  goc::go([jobs, results, wg] {  // a single worker
    for (Job job : jobs) results.send(process(job));  // BUG: cannot be cancelled
    wg->done();
  });
  goc::go([jobs, inputs] {  // producer
    for (std::size_t i = 0; i < inputs.size(); ++i) jobs.send(Job{int(i) + 1, inputs[i]});
    jobs.close();
  });
  goc::go([results, wg] {  // closer
    wg->wait();
    results.close();
  });

  //! [stops-early]
  // Go:
  //     for r := range results {
  //         report(r)
  //         if r.Err != nil {
  //             return r.Err // BUG: nobody receives the remaining results
  //         }
  //     }
  for (Result r : results) {
    report(r);
    if (!r.error.empty()) return r.error;  // BUG: nobody receives the rest
  }
  return "";
  //! [stops-early]
}

int main() {
  goc::LeakCheck leaks;
  std::printf("first error: %s\n", first_error({2, 3, -1, 4, 5}).c_str());

  //! [leak-check]
  // Go (with go.uber.org/goleak): defer goleak.VerifyNone(t)
  std::vector<goc::GoroutineInfo> stuck = leaks.leaks();  // waits up to 1s for them
  std::printf("goroutines left behind: %zu\n", stuck.size());
  //! [leak-check]
  std::vector<std::string> states;
  for (const auto& g : stuck) states.push_back(g.state);
  std::sort(states.begin(), states.end());
  for (const auto& s : states) std::printf("  blocked in: %s\n", s.c_str());
}
