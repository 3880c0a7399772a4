// How long one cache line takes to move from one core to another, now: two
// threads on two different CPUs pass a counter back and forth, and the
// program prints the nanoseconds of one pass (the median of five rounds).
//
// trace-on-cost.sh prints it beside every round. On the course's virtual
// machines it is about 27 ns in some stretches and about 170 ns in others
// (the host moves the virtual CPUs), and a contended Mutex pays it on
// every hand-over of the lock between cores: a traced one more often, as
// its Unlock records after the release, which leaves the lock free longer.
//
//   goc_core_latency        prints e.g. "27" (or "n/a" with one CPU)
#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

namespace {

constexpr int kPasses = 100000, kRounds = 5;

void pin_to(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

// One thread waits for the even values and writes the next odd one, the
// other the reverse: every pass moves the counter's line to the other CPU.
double one_round(int cpu_a, int cpu_b) {
  alignas(64) std::atomic<int> counter{0};
  auto play = [&](int cpu, int parity) {
    pin_to(cpu);
    for (int i = parity; i < 2 * kPasses; i += 2) {
      while (counter.load(std::memory_order_acquire) != i) {
      }
      counter.store(i + 1, std::memory_order_release);
    }
  };
  const auto start = std::chrono::steady_clock::now();
  std::thread a(play, cpu_a, 0), b(play, cpu_b, 1);
  a.join();
  b.join();
  const std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
  return took.count() / (2 * kPasses);
}

}  // namespace

int main() {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  sched_getaffinity(0, sizeof allowed, &allowed);
  std::vector<int> cpus;
  for (int c = 0; c < CPU_SETSIZE && cpus.size() < 2; ++c)
    if (CPU_ISSET(c, &allowed)) cpus.push_back(c);
  if (cpus.size() < 2) {
    std::puts("n/a");
    return 0;
  }
  std::vector<double> rounds;
  for (int r = 0; r < kRounds; ++r) rounds.push_back(one_round(cpus[0], cpus[1]));
  std::sort(rounds.begin(), rounds.end());
  std::printf("%.0f\n", rounds[kRounds / 2]);
}
