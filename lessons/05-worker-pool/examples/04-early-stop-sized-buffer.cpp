// Lesson 5, example 04: fix 2, a results buffer with room for every job.
//
// The collector may also return at the first error if no worker can ever block
// on sending a result: give `results` room for as many results as there are
// jobs. Each send then completes at once whether or not anyone receives; the
// worker goes on, the producer finishes, the closer closes, and the unread
// results are thrown away with the channel.
//
// This needs the number of jobs to be known and bounded (a buffer per job for
// an endless stream is a memory leak instead of a goroutine leak), and, like
// fix 1, the remaining jobs are still computed. Note the WaitGroup is shared:
// the goroutines finish after this function has returned.
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
  //! [sized-buffer]
  // Go: results := make(chan Result, len(inputs))
  auto results = goc::make_chan<Result>(inputs.size());  // room for every result
  //! [sized-buffer]
  // Shared ownership: these goroutines finish after this function returns.
  auto wg = std::make_shared<goc::WaitGroup>();

  wg->add(1);
  goc::go([jobs, results, wg] {  // a single worker, as in example 02
    for (Job job : jobs) results.send(process(job));  // never blocks now
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

  //! [return-early]
  for (Result r : results) {
    report(r);
    if (!r.error.empty()) return r.error;  // fine now: no sender can get stuck
  }
  return "";
  //! [return-early]
}

int main() {
  goc::LeakCheck leaks;
  std::printf("first error: %s\n", first_error({2, 3, -1, 4, 5}).c_str());
  std::printf("goroutines left behind: %zu\n", leaks.leaks().size());
}
