// Lesson 5, example 03: fix 1, the collector keeps draining after the error.
//
// The collector of example 02 wanted to stop at the first error. It still may
// stop REPORTING, but it keeps receiving until `results` is closed, throwing
// the late results away. Every send then finds a receiver, every goroutine
// finishes, and the closer's close() ends the loop. Nothing is left behind.
//
// The cost: the remaining jobs are still computed, only to be discarded. When
// that work is expensive, also tell the workers to stop, with a done channel
// and cancellable sends, as the full pool (example 01) does; it keeps
// draining as well, for the results already in flight.
#include <cstdio>
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
  goc::WaitGroup wg;  // this function returns only after the closer's wait()

  wg.add(1);
  goc::go([jobs, results, &wg] {  // a single worker, as in example 02
    for (Job job : jobs) results.send(process(job));
    wg.done();
  });
  goc::go([jobs, inputs] {  // producer
    for (std::size_t i = 0; i < inputs.size(); ++i) jobs.send(Job{int(i) + 1, inputs[i]});
    jobs.close();
  });
  goc::go([results, &wg] {  // closer
    wg.wait();
    results.close();
  });

  //! [keep-draining]
  // Go:
  //     var firstErr error
  //     for r := range results {
  //         if firstErr != nil {
  //             continue // drain: receive, but ignore
  //         }
  //         report(r)
  //         firstErr = r.Err
  //     }
  //     return firstErr
  std::string first;
  for (Result r : results) {
    if (!first.empty()) {
      std::printf("(drained job %d after the error)\n", r.job_id);
      continue;  // receive, but ignore
    }
    report(r);
    first = r.error;
  }
  return first;
  //! [keep-draining]
}

int main() {
  goc::LeakCheck leaks;
  std::printf("first error: %s\n", first_error({2, 3, -1, 4, 5}).c_str());
  std::printf("goroutines left behind: %zu\n", leaks.leaks().size());
}
