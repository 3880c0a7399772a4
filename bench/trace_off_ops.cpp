// The operations of compare.sh's workloads, N times each, for counting
// instructions under valgrind (bench/trace-off-cost.sh): what the trace's
// hooks cost when tracing is off, against a build with them compiled out
// (GOC_TRACE_HOOKS=OFF). Instruction counts do not depend on the machine's
// load, unlike the wall time of a benchmark on a shared machine.
//
//   goc_trace_off_ops OPERATION N
//
// OPERATION (the workloads that are made of it):
//   buffered  a send and a receive on a buffered channel (BufferedSPSC, BufferedMPMC4x4)
//   select    a buffered send, then a two-case select that receives it (Select2)
//   mutex     Mutex lock and unlock (MutexContended4)
//   waitgroup WaitGroup add and done (SpawnJoin, BufferedMPMC4x4, WorkerPool3)
//   spawn     go() of a goroutine that calls done, and wait (SpawnJoin)
//   handoff   an unbuffered send to a goroutine that receives (UnbufferedHandoff)
//   pool      one job through lesson 05's worker pool: selects with parked partners (WorkerPool3)
// The last three run several threads; valgrind runs one at a time, so their
// counts vary a little from run to run (the script shows the spread).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "goc/detail/sched.hpp"
#include "goc/goc.hpp"

namespace {

void buffered(int n) {
  auto ch = goc::make_chan<int>(128);
  for (int i = 0; i < n; ++i) {
    ch.send(i);
    ch.recv();
  }
}

void select2(int n) {
  auto a = goc::make_chan<int>(1);
  auto c = goc::make_chan<int>(1);
  for (int i = 0; i < n; ++i) {
    a.send(i);
    goc::select(goc::recv_case(a), goc::recv_case(c));
  }
}

void mutex(int n) {
  goc::Mutex mu;
  for (int i = 0; i < n; ++i) {
    mu.lock();
    mu.unlock();
  }
}

void waitgroup(int n) {
  goc::WaitGroup wg;
  for (int i = 0; i < n; ++i) {
    wg.add(1);
    wg.done();
  }
}

void spawn(int n) {
  for (int i = 0; i < n; ++i) {
    goc::WaitGroup wg;
    wg.add(1);
    goc::go([&wg] { wg.done(); });
    wg.wait();
  }
}

void handoff(int n) {
  auto ch = goc::make_chan<int>();
  auto done = goc::make_chan<goc::Empty>();
  goc::go([=] {
    for ([[maybe_unused]] int v : ch) {
    }
    done.close();
  });
  for (int i = 0; i < n; ++i) ch.send(i);
  ch.close();
  done.recv();
}

void pool(int n) {
  auto jobs = goc::make_chan<int>();
  auto results = goc::make_chan<int>();
  auto done = goc::make_chan<goc::Empty>();
  goc::WaitGroup wg;
  wg.add(3);
  for (int w = 0; w < 3; ++w)
    goc::go([=, &wg] {
      for (;;) {
        int job = 0;
        bool have_job = false;
        goc::select(goc::recv_case(done), goc::recv_case(jobs, [&](int j, bool ok) {
                      job = j;
                      have_job = ok;
                    }));
        if (!have_job) break;
        if (goc::select(goc::send_case(results, job * job), goc::recv_case(done)) == 1) break;
      }
      wg.done();
    });
  goc::go([=] {
    for (int i = 0; i < n; ++i)
      if (goc::select(goc::send_case(jobs, i), goc::recv_case(done)) == 1) break;
    jobs.close();
  });
  goc::go([=, &wg] {
    wg.wait();
    results.close();
  });
  long sum = 0;
  for (int r : results) sum += r;
  done.close();
  if (sum < 0) std::puts("");  // keeps the loop
}

}  // namespace

int main(int argc, char** argv) {
  const char* usage =
      "usage: goc_trace_off_ops buffered|select|mutex|waitgroup|spawn|handoff|pool N\n";
  if (argc != 3 || std::atoi(argv[2]) <= 0) {
    std::fputs(usage, stderr);
    return 64;
  }
  // Every wait sleeps at once: under valgrind a spinning wait would count
  // the instructions of however long the other thread took to run.
  goc::detail::set_spin_limit_ns(0);
  const int n = std::atoi(argv[2]);
  const std::string op = argv[1];
  if (op == "buffered") buffered(n);
  else if (op == "select") select2(n);
  else if (op == "mutex") mutex(n);
  else if (op == "waitgroup") waitgroup(n);
  else if (op == "spawn") spawn(n);
  else if (op == "handoff") handoff(n);
  else if (op == "pool") pool(n);
  else {
    std::fputs(usage, stderr);
    return 64;
  }
  return 0;
}
