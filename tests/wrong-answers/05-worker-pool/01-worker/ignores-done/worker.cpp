// WRONG: ignores done entirely: it ranges over jobs and sends each result with a bare send, so a cancelled worker blocks for ever.
#include "worker.hpp"

#include <goc/goc.hpp>

void worker(goc::RecvChan<int> jobs, goc::SendChan<Result> results, goc::RecvChan<goc::Empty>) {
  for (int job : jobs) results.send(process_job(job));
}
