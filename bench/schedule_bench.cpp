// How many scheduling decisions per second a seeded schedule makes (issue 18:
// at least 200,000 on the 2-core development machine). A decision is one
// passing of the turn: at every runtime operation and every block, the
// scheduler picks who runs next. Three workloads, each run for several rounds
// in one process under GOC_SCHEDULE (random:1 unless the environment names
// another; the program re-executes itself with it when it is unset):
//   ping-pong  two goroutines hand a value back and forth on unbuffered channels;
//   pool       a producer, four workers and a collector on buffered channels;
//   mutex      four goroutines take turns incrementing under one goc::Mutex;
//   mutex-held the same, each sending on a buffered channel while it holds
//              the lock, so that the turn passes inside the critical section
//              and the others find the lock held.
// Prints, per workload, the min, median and max decisions per second over the
// rounds, and the load average before and after.
#include <goc/goc.hpp>
#include <goc/detail/schedule.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

void ping_pong() {
  auto there = goc::make_chan<int>(), back = goc::make_chan<int>();
  goc::WaitGroup wg;
  wg.add(1);
  goc::go([=, &wg] {
    for (int i = 0; i < 5000; ++i) back.send(there.recv() + 1);
    wg.done();
  });
  for (int i = 0; i < 5000; ++i) {
    there.send(i);
    (void)back.recv();
  }
  wg.wait();
}

void pool() {
  auto jobs = goc::make_chan<int>(16), results = goc::make_chan<int>(16);
  goc::WaitGroup workers;
  for (int w = 0; w < 4; ++w) {
    workers.add(1);
    goc::go([=, &workers] {
      for (;;) {
        auto [job, ok] = jobs.recv_ok();
        if (!ok) break;
        results.send(job * 2);
      }
      workers.done();
    });
  }
  goc::go([=] {
    for (int i = 0; i < 5000; ++i) jobs.send(i);
    jobs.close();
  });
  goc::go([=, &workers] {
    workers.wait();
    results.close();
  });
  long sum = 0;
  for (;;) {
    auto [r, ok] = results.recv_ok();
    if (!ok) break;
    sum += r;
  }
  if (sum != 5000L * 4999) std::abort();
}

void mutex() {
  goc::Mutex mu;
  goc::WaitGroup wg;
  long total = 0;
  for (int g = 0; g < 4; ++g) {
    wg.add(1);
    goc::go([&] {
      for (int i = 0; i < 2500; ++i) {
        mu.lock();
        ++total;
        mu.unlock();
      }
      wg.done();
    });
  }
  wg.wait();
  if (total != 10000) std::abort();
}

void mutex_held() {
  goc::Mutex mu;
  goc::WaitGroup wg;
  auto log = goc::make_chan<int>(10000);
  for (int g = 0; g < 4; ++g) {
    wg.add(1);
    goc::go([&, log, g] {
      for (int i = 0; i < 2500; ++i) {
        mu.lock();
        log.send(g);
        mu.unlock();
      }
      wg.done();
    });
  }
  wg.wait();
  if (log.len() != 10000) std::abort();
}

std::string load() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

}  // namespace

int main(int argc, char** argv) {
  if (!goc::detail::schedule_on()) {
    const char* spec = std::getenv("GOC_SCHEDULE");
    if (spec && *spec) return 1;  // set but not taken: the runtime has reported why
    setenv("GOC_SCHEDULE", "random:1", 1);
    execv("/proc/self/exe", argv);
    std::perror("schedule_bench: re-executing itself");
    return 1;
  }
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 5;
  std::printf("scheduling decisions per second, %s, %d rounds\n", std::getenv("GOC_SCHEDULE"),
              rounds);
  std::printf("load before: %s\n", load().c_str());
  struct Workload {
    const char* name;
    void (*run)();
  };
  bool all_met = true;
  for (Workload w : {Workload{"ping-pong", ping_pong}, Workload{"pool", pool},
                     Workload{"mutex", mutex}, Workload{"mutex-held", mutex_held}}) {
    std::vector<double> rates;
    for (int r = 0; r < rounds; ++r) {
      std::uint64_t before = goc::detail::schedule_decisions();
      auto t0 = std::chrono::steady_clock::now();
      w.run();
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      rates.push_back(static_cast<double>(goc::detail::schedule_decisions() - before) / secs);
    }
    std::sort(rates.begin(), rates.end());
    bool met = rates.front() >= 200000;
    all_met = all_met && met;
    std::printf("  %-10s min %9.0f  median %9.0f  max %9.0f  %s\n", w.name, rates.front(),
                rates[rates.size() / 2], rates.back(), met ? "(>= 200,000 in every round)" : "(MISSED 200,000)");
  }
  std::printf("load after:  %s\n", load().c_str());
  return all_met ? 0 : 3;
}
