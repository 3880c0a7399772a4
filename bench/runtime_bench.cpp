// The six workloads of ../shared/bench-go/chan_test.go and the worker pool
// of go/pool_test.go, written with goc; and three figures Go has no match
// for: the hand-off when every wait must park, the park cost the runtime
// measured (see Parker in goc/detail/sched.hpp), and what the machine itself
// charges for a hand-off between two threads (BM_ThreadRoundTrip, no goc).
//
// Each benchmark runs the whole workload of kOps operations in one timed
// iteration (like one Go b.N run) and reports ns_per_op = time / kOps, the
// figure Go prints, so compare.sh can divide one by the other.
#include <benchmark/benchmark.h>

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "goc/detail/sched.hpp"
#include "goc/detail/trace.hpp"

#include "goc/goc.hpp"

namespace {

// Whether this process may run on two cores or more (taskset can allow it
// one): the workloads whose threads spin on each other need two.
bool two_cores_allowed() {
  cpu_set_t allowed;
  return ::sched_getaffinity(0, sizeof allowed, &allowed) != 0 || CPU_COUNT(&allowed) >= 2;
}

void report(benchmark::State& state, std::int64_t ops) {
  state.counters["ns_per_op"] = benchmark::Counter(
      static_cast<double>(ops) * 1e-9,  // inverted rate: seconds per op x 1e9 = ns per op
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_UnbufferedHandoff(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) {
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
  report(state, n);
}

// The same hand-off with spinning turned off: every wait sleeps on its futex
// and is woken by a system call. What a hand-off costs when it has to park.
void BM_UnbufferedHandoffParked(benchmark::State& state) {
  goc::detail::set_spin_limit_ns(0);
  BM_UnbufferedHandoff(state);
  goc::detail::set_spin_limit_ns(-1);
  state.counters["park_cost_ns"] = static_cast<double>(goc::detail::park_cost_ns());
}

void BM_BufferedSPSC(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) {
    auto ch = goc::make_chan<int>(128);
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
  report(state, n);
}

void BM_BufferedMPMC4x4(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) {
    auto ch = goc::make_chan<int>(128);
    goc::WaitGroup consumers, producers;
    consumers.add(4);
    for (int c = 0; c < 4; ++c)
      goc::go([&consumers, ch] {
        for ([[maybe_unused]] int v : ch) {
        }
        consumers.done();
      });
    producers.add(4);
    const int per = n / 4;
    for (int p = 0; p < 4; ++p)
      goc::go([&producers, ch, per] {
        for (int i = 0; i < per; ++i) ch.send(i);
        producers.done();
      });
    producers.wait();
    ch.close();
    consumers.wait();
  }
  report(state, n);
}

void BM_Select2(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) {
    auto a = goc::make_chan<int>();
    auto c = goc::make_chan<int>();
    const int half = n / 2;
    for (auto ch : {a, c})
      goc::go([ch, half] {
        for (int i = 0; i < half; ++i) ch.send(i);
      });
    for (int i = 0; i < 2 * half; ++i) goc::select(goc::recv_case(a), goc::recv_case(c));
  }
  report(state, n);
}

void BM_SpawnJoin(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  goc::set_max_goroutines(static_cast<std::size_t>(n) + 100);
  for (auto _ : state) {
    goc::WaitGroup wg;
    wg.add(n);
    for (int i = 0; i < n; ++i) goc::go([&wg] { wg.done(); });
    wg.wait();
  }
  report(state, n);
}

// The Mutex workloads' loop: `times` holds of `mu`, each counting once.
void lock_and_unlock(goc::Mutex& mu, long& counter, int times) {
  for (int i = 0; i < times; ++i) {
    mu.lock();
    ++counter;
    mu.unlock();
  }
}

// lock_and_unlock with each Lock tried first (try_lock, the same
// compare-and-swap as lock()'s fast path) and lock() only when the try
// fails: returns how many failed, the Locks that found the Mutex held.
long lock_and_unlock_counting_held(goc::Mutex& mu, long& counter, int times) {
  long held = 0;
  for (int i = 0; i < times; ++i) {
    if (!mu.try_lock()) {
      ++held;
      mu.lock();
    }
    ++counter;
    mu.unlock();
  }
  return held;
}

// When one of a workload's goroutines began and ended its loop.
struct LoopSpan {
  std::chrono::steady_clock::time_point begin, end;
};

// Reports how many goroutines were inside their loops at once, on average
// over the time from the first one's start to the last one's end: about 1
// when they ran one after another (no Lock could find the Mutex held), below
// 1 when at times none was inside (on a busy host, one waited for a thread
// after another had ended), up to the number of goroutines when all were
// inside the whole time (running, or parked waiting for the lock). Above 1
// says that some Lock found the Mutex held (a goroutine leaves its thread
// only by parking on it), not how many: a parked goroutine may then wait a
// millisecond or more for a thread (held_found counts them). How the
// scheduler placed the goroutines changes from run to run.
void report_at_once(benchmark::State& state, const std::vector<LoopSpan>& spans) {
  using seconds = std::chrono::duration<double>;
  double inside = 0;
  auto first = spans.front().begin, last = spans.front().end;
  for (const LoopSpan& s : spans) {
    inside += seconds(s.end - s.begin).count();
    first = std::min(first, s.begin);
    last = std::max(last, s.end);
  }
  state.counters["at_once"] = inside / seconds(last - first).count();
}

// `goroutines` goroutines share the workload's Lock+Unlock pairs; with
// `count_held`, each Lock is tried first and the Locks that found the Mutex
// held are reported (held_found, a share of all Locks).
void mutex_shared_by(benchmark::State& state, int goroutines, bool count_held = false) {
  using clock = std::chrono::steady_clock;
  const int n = static_cast<int>(state.range(0));
  std::vector<LoopSpan> spans(static_cast<std::size_t>(goroutines));
  std::atomic<long> held{0};
  for (auto _ : state) {
    goc::Mutex mu;
    long counter = 0;
    goc::WaitGroup wg;
    wg.add(goroutines);
    const int per = n / goroutines;
    for (LoopSpan& span : spans)
      goc::go([&] {
        span.begin = clock::now();
        if (count_held)
          held.fetch_add(lock_and_unlock_counting_held(mu, counter, per), std::memory_order_relaxed);
        else
          lock_and_unlock(mu, counter, per);
        span.end = clock::now();
        wg.done();  // orders the span and the count before main's reads
      });
    wg.wait();
    benchmark::DoNotOptimize(counter);
  }
  report(state, n);
  if (goroutines > 1) report_at_once(state, spans);
  if (count_held) state.counters["held_found"] = static_cast<double>(held.load()) / n;
}

// Four goroutines on two threads, as Go's benchmark has them. How many are
// inside their loops at once is up to the scheduler, and differs from run
// to run (at_once, from about 1 to over 3): a goroutine started while
// another runs waits in that thread's queue until an idle thread takes it
// (after 20 microseconds, if one is still looking) or the monitor offers it
// (after a millisecond or more), and one woken by an Unlock waits in the
// unlocker's run-next slot in the same way.
void BM_MutexContended4(benchmark::State& state) { mutex_shared_by(state, 4); }

// MutexContended4's goroutines, each Lock tried first (see
// lock_and_unlock_counting_held). Reports held_found, the share of Locks
// that found the Mutex held: how much the four contended in this run. Not a
// workload of compare.sh: the count is what it is for.
void BM_MutexContended4Held(benchmark::State& state) {
  mutex_shared_by(state, 4, /*count_held=*/true);
}

// Two views of the same Lock and Unlock that the trace's cost needs apart
// from MutexContended4: one goroutine alone (what the records cost per
// operation, with no contention), and two goroutines that start contending
// on two cores.
void BM_MutexOneGoroutine(benchmark::State& state) { mutex_shared_by(state, 1); }

// The two goroutines spin until both run at the same time on different
// cores: a spinning goroutine keeps its thread, so the second one starts on
// the other thread (once an idle thread takes it), but the kernel may run
// both threads on one core at first (it wakes a thread on its waker's
// core), taking turns at each yield. The timed run starts when goroutine 0
// sees goroutine 1 on another core, and ends when the later one is done.
// The contention lasts until one of them parks: the Unlock that wakes it
// puts it in the unlocker's run-next slot, where it mostly waits for the
// unlocker's loop to end (at_once says how long they overlapped). Skipped
// when the process may use only one core, or when the two never share a
// moment on two cores within a second.
void BM_MutexTwoThreads(benchmark::State& state) {
  using clock = std::chrono::steady_clock;
  const int n = static_cast<int>(state.range(0));
  if (!two_cores_allowed()) {
    state.SkipWithError("needs two cores: the two goroutines must run at once");
    return;
  }
  std::vector<LoopSpan> spans(2);
  for (auto _ : state) {
    goc::Mutex mu;
    long counter = 0;
    std::atomic<int> core_of[2] = {-1, -1};
    std::atomic<bool> met{false};
    bool on_two_cores = false;
    clock::time_point start;
    goc::WaitGroup wg;
    wg.add(2);
    for (int g = 0; g < 2; ++g)
      goc::go([&, g] {
        const auto give_up = clock::now() + std::chrono::seconds(1);
        for (;;) {
          const int mine = ::sched_getcpu();
          core_of[g].store(mine);
          if (met.load()) break;
          const int other = core_of[1 - g].load();
          const bool apart = other >= 0 && other != mine;
          if (g == 0 && (apart || clock::now() > give_up)) {
            on_two_cores = apart;
            start = clock::now();
            met.store(true);
            break;
          }
          std::this_thread::yield();
        }
        spans[static_cast<std::size_t>(g)].begin = clock::now();
        lock_and_unlock(mu, counter, n / 2);
        spans[static_cast<std::size_t>(g)].end = clock::now();
        wg.done();  // orders start and the spans before main's reads
      });
    wg.wait();
    benchmark::DoNotOptimize(counter);
    if (!on_two_cores) {
      state.SkipWithError("the two goroutines never ran on two cores at once");
      return;
    }
    const auto last_end = std::max(spans[0].end, spans[1].end);
    state.SetIterationTime(std::chrono::duration<double>(last_end - start).count());
  }
  report(state, n);
  report_at_once(state, spans);
}

// Lesson 05's worker pool (go/pool_test.go has Go's): 3 workers, unbuffered
// jobs and results, a done channel every wait watches, a producer and a
// closer goroutine, and the caller collecting. ns_per_op is per job.
struct PoolResult {
  int id = 0;
  int value = 0;
};

void pool_worker(goc::RecvChan<goc::Empty> done, goc::RecvChan<int> jobs,
                 goc::SendChan<PoolResult> results) {
  for (;;) {
    int job = 0;
    bool have_job = false;
    goc::select(goc::recv_case(done), goc::recv_case(jobs, [&](int j, bool ok) {
                  job = j;
                  have_job = ok;
                }));
    if (!have_job) return;
    if (goc::select(goc::send_case(results, PoolResult{job, job * job}), goc::recv_case(done)) ==
        1)
      return;
  }
}

void BM_WorkerPool3(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) {
    auto jobs = goc::make_chan<int>();
    auto results = goc::make_chan<PoolResult>();
    auto done = goc::make_chan<goc::Empty>();
    goc::WaitGroup wg;
    wg.add(3);
    for (int w = 0; w < 3; ++w)
      goc::go([=, &wg] {
        pool_worker(done, jobs, results);
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
    for (PoolResult r : results) sum += r.value;
    done.close();
    benchmark::DoNotOptimize(sum);
  }
  report(state, n);
}

// No goc at all: two threads pass one counter back and forth through one
// atomic word, each spinning until it is its turn. Each op is one cache-line
// round trip between two cores: the least a hand-off between goroutines that
// are OS threads can cost on this machine (a rendezvous needs the partner to
// answer). Go's hand-off usually runs the receiver next on the sender's own
// processor and pays no such trip.
void BM_ThreadRoundTrip(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  if (!two_cores_allowed()) {  // each turn would wait for the other's time slice
    state.SkipWithError("needs two cores: the two threads spin on each other");
    return;
  }
  for (auto _ : state) {
    std::atomic<std::int64_t> turn{0};  // even: the main thread's turn; odd: the partner's
    std::thread partner([&] {
      for (std::int64_t i = 0; i < n; ++i) {
        while (turn.load(std::memory_order_acquire) != 2 * i + 1) {
        }
        turn.store(2 * i + 2, std::memory_order_release);
      }
    });
    for (std::int64_t i = 0; i < n; ++i) {
      turn.store(2 * i + 1, std::memory_order_release);
      while (turn.load(std::memory_order_acquire) != 2 * i + 2) {
      }
    }
    partner.join();
  }
  report(state, n);
}

// The same workload recorded by the trace recorder (goc/detail/trace.hpp):
// what tracing costs per operation when it is on. The file is written after
// the timed run, and removed. Room for the events is made before (at most
// eight per operation), as a program that records this much would: the
// first write to fresh memory costs more than an event on some virtual
// machines, and that is the machine's price for memory, not the recorder's.
template <void (*Workload)(benchmark::State&)>
void Traced(benchmark::State& state) {
  goc::detail::trace_reserve(static_cast<std::size_t>(state.range(0)) * 8);
  std::string path = "/tmp/goc-bench-trace-" + std::to_string(::getpid()) + ".json";
  std::string error;
  if (!goc::detail::trace_start(path, &error)) {
    state.SkipWithError(error.c_str());
    return;
  }
  Workload(state);
  goc::detail::trace_stop();
  std::remove(path.c_str());
}

// One timed run of the whole workload per repetition, like one Go b.N run.
// Repetitions come from the command line (--benchmark_repetitions=5 for a
// median): compare.sh runs one at a time, interleaved with Go's runs.
#define GOC_BENCH(fn, ops) \
  BENCHMARK(fn)->Arg(ops)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond)
// The same for a workload that times itself (state.SetIterationTime).
#define GOC_BENCH_FROM_SET_TIME(fn, ops) \
  BENCHMARK(fn)->Arg(ops)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond)

GOC_BENCH(BM_UnbufferedHandoff, 200000);
GOC_BENCH(BM_UnbufferedHandoffParked, 20000);
GOC_BENCH(BM_BufferedSPSC, 2000000);
GOC_BENCH(BM_BufferedMPMC4x4, 2000000);
GOC_BENCH(BM_Select2, 200000);
GOC_BENCH(BM_SpawnJoin, 100000);
GOC_BENCH(BM_MutexContended4, 4000000);
GOC_BENCH(BM_MutexContended4Held, 4000000);
GOC_BENCH(BM_WorkerPool3, 100000);
GOC_BENCH(BM_ThreadRoundTrip, 1000000);

// Tracing on, beside the same workload untraced at the same size (a traced
// event takes about a hundred bytes until the file is written, so the
// workloads are smaller than above).
GOC_BENCH(BM_UnbufferedHandoff, 50000);
GOC_BENCH(Traced<BM_UnbufferedHandoff>, 50000);
GOC_BENCH(BM_BufferedSPSC, 200000);
GOC_BENCH(Traced<BM_BufferedSPSC>, 200000);
GOC_BENCH(BM_Select2, 50000);
GOC_BENCH(Traced<BM_Select2>, 50000);
GOC_BENCH(BM_MutexContended4, 400000);
GOC_BENCH(Traced<BM_MutexContended4>, 400000);
GOC_BENCH(BM_MutexOneGoroutine, 400000);
GOC_BENCH(Traced<BM_MutexOneGoroutine>, 400000);
GOC_BENCH_FROM_SET_TIME(BM_MutexTwoThreads, 400000);
GOC_BENCH_FROM_SET_TIME(Traced<BM_MutexTwoThreads>, 400000);
GOC_BENCH(BM_WorkerPool3, 20000);
GOC_BENCH(Traced<BM_WorkerPool3>, 20000);

}  // namespace

BENCHMARK_MAIN();
