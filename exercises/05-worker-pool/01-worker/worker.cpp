// Exercise 05-worker-pool/01-worker: a worker that can always be stopped.
//
// Task: write worker(jobs, results, done) as worker.hpp describes. For each
// job it takes, call process_job(job) and send the Result on results. Stop
// when jobs is closed, or as soon as done is closed, even in the middle of
// waiting to send a result that nobody receives any more.
//
// The Go idea: a goroutine that can block must also be able to give up. In
// Go every blocking step of a worker is a select with a `case <-done:`:
//
//     for {
//         select {
//         case n, ok := <-jobs:
//             if !ok { return }
//             select {
//             case results <- process(n):
//             case <-done: return
//             }
//         case <-done:
//             return
//         }
//     }
#include "worker.hpp"

#include <goc/goc.hpp>

void worker(goc::RecvChan<int> jobs, goc::SendChan<Result> results,
            goc::RecvChan<goc::Empty> done) {
  // TODO: loop: wait for a job OR for done (goc::select with two recv_cases;
  //       the jobs handler takes (int job, bool ok), ok is false once jobs is closed).
  // TODO: return when jobs is closed or done is closed.
  // TODO: Result r = process_job(job); then send r on results, again in a
  //       select that also waits on done (goc::send_case + goc::recv_case),
  //       and return if done won.
  (void)jobs;
  (void)results;
  (void)done;
}
