// Lesson 5, example 01: the complete worker pool.
//
// Squares a list of numbers with a fixed number of workers, reports each job
// as its result arrives, and stops the whole pool at the first error (a
// negative input). Run with the inputs {2, 3, -1, 4, 5} and 3 workers it
// prints one line per job that got processed, in whatever order the workers
// finish, then the first error. Jobs still queued when the error arrives may
// never run, so the set of lines can differ from run to run; what never
// changes is that every job is reported at most once, every value is the
// square of its input, and the first error is "negative input".
//
// The README walks through this file part by part.
#include <cstdio>
#include <string>
#include <vector>

#include "goc/goc.hpp"

using namespace std::chrono_literals;

//! [types]
// One unit of work, and what became of it. A result carries either a value
// or an error, never both, and the id of the job it answers.
// Go:
//     type Job struct {
//         ID    int
//         Input int
//     }
//     type Result struct {
//         JobID int
//         Input int
//         Value int
//         Err   error
//     }
struct Job {
  int id = 0;
  int input = 0;
};

struct Result {
  int job_id = 0;
  int input = 0;
  int value = 0;
  std::string error;  // empty when the job succeeded
};
//! [types]

//! [process]
// The work itself. Bad input is not a crash: it becomes an error result.
// Go:
//     func process(j Job) Result {
//         time.Sleep(10 * time.Millisecond)
//         if j.Input < 0 {
//             return Result{JobID: j.ID, Input: j.Input, Err: errors.New("negative input")}
//         }
//         return Result{JobID: j.ID, Input: j.Input, Value: j.Input * j.Input}
//     }
Result process(const Job& job) {
  goc::sleep_for(10ms);  // stands in for real work
  if (job.input < 0) return Result{job.id, job.input, 0, "negative input"};
  return Result{job.id, job.input, job.input * job.input, ""};
}
//! [process]

//! [worker]
// A worker takes jobs until there are none left or the pool is cancelled.
// Both of its waits also watch `done`, so a cancelled worker never stays
// blocked: not while waiting for a job, and not while handing in a result
// that nobody may want any more.
// Go:
//     func worker(done <-chan struct{}, jobs <-chan Job, results chan<- Result) {
//         for {
//             select {
//             case <-done:
//                 return
//             case job, ok := <-jobs:
//                 if !ok {
//                     return // no more jobs
//                 }
//                 select {
//                 case results <- process(job):
//                 case <-done:
//                     return
//                 }
//             }
//         }
//     }
void worker(goc::RecvChan<goc::Empty> done, goc::RecvChan<Job> jobs,
            goc::SendChan<Result> results) {
  for (;;) {
    Job job;
    bool have_job = false;
    int chosen = goc::select(goc::recv_case(done),
                             goc::recv_case(jobs, [&](Job j, bool ok) {
                               job = j;
                               have_job = ok;  // false: jobs is closed and drained
                             }));
    if (chosen == 0 || !have_job) return;

    Result result = process(job);
    bool delivered = false;
    goc::select(goc::send_case(results, result, [&] { delivered = true; }),
                goc::recv_case(done));  // cancellable send
    if (!delivered) return;
  }
}
//! [worker]

struct PoolReport {
  std::vector<Result> results;  // in arrival order
  std::string first_error;      // empty when every job succeeded
};

PoolReport run_pool(const std::vector<int>& inputs, int workers) {
  //! [channels]
  // Go:
  //     jobs := make(chan Job)
  //     results := make(chan Result)
  //     done := make(chan struct{})
  //     var wg sync.WaitGroup
  auto jobs = goc::make_chan<Job>();
  auto results = goc::make_chan<Result>();
  auto done = goc::make_chan<goc::Empty>();
  goc::WaitGroup wg;
  //! [channels]

  //! [start-workers]
  // A fixed number of workers, however many jobs there are.
  // Go:
  //     for w := 0; w < workers; w++ {
  //         wg.Add(1)
  //         go func() {
  //             defer wg.Done()
  //             worker(done, jobs, results)
  //         }()
  //     }
  for (int w = 0; w < workers; ++w) {
    wg.add(1);
    goc::go([done, jobs, results, &wg] {
      worker(done, jobs, results);
      wg.done();
    });
  }
  //! [start-workers]

  //! [producer]
  // The producer owns `jobs`: it sends them, stops early if cancelled, and
  // closes the channel either way so that idle workers learn there is no more.
  // Go:
  //     go func() {
  //         defer close(jobs)
  //         for i, in := range inputs {
  //             select {
  //             case jobs <- Job{ID: i + 1, Input: in}:
  //             case <-done:
  //                 return
  //             }
  //         }
  //     }()
  goc::go([jobs, done, inputs] {
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      int chosen = goc::select(goc::send_case(jobs, Job{int(i) + 1, inputs[i]}),
                               goc::recv_case(done));
      if (chosen == 1) break;  // cancelled
    }
    jobs.close();
  });
  //! [producer]

  //! [closer]
  // `results` has several senders, so none of them can close it. A closer
  // goroutine waits until every worker has returned, then closes it.
  // Go:
  //     go func() {
  //         wg.Wait()
  //         close(results)
  //     }()
  goc::go([results, &wg] {
    wg.wait();
    results.close();
  });
  //! [closer]

  //! [collector]
  // The collector (here the caller) takes every result until `results` is
  // closed. The first error cancels the pool: done is closed once, guarded by
  // the check that first_error is still empty. Results already in flight keep
  // arriving after that and are still reported.
  // Go:
  //     var firstErr error
  //     for r := range results {
  //         report(r)
  //         if r.Err != nil && firstErr == nil {
  //             firstErr = r.Err
  //             close(done) // exactly once
  //         }
  //     }
  PoolReport report;
  for (Result r : results) {
    if (r.error.empty())
      std::printf("job %d: input %d -> %d\n", r.job_id, r.input, r.value);
    else
      std::printf("job %d: input %d -> error: %s\n", r.job_id, r.input, r.error.c_str());
    if (!r.error.empty() && report.first_error.empty()) {
      report.first_error = r.error;
      done.close();  // exactly once: first_error is set from now on
    }
    report.results.push_back(r);
  }
  //! [collector]
  return report;
}

int main() {
  goc::LeakCheck leaks;
  //! [main]
  PoolReport report = run_pool({2, 3, -1, 4, 5}, 3);
  std::printf("first error: %s\n", report.first_error.empty() ? "none" : report.first_error.c_str());
  //! [main]
  std::printf("goroutines left running: %zu\n", leaks.leaks().size());
}
