// Lesson 4, example 07: the hybrid, channels orchestrate, a mutex guards a cache.
//
// Real programs mix both tools, each where it fits. Here channels organise the
// work: a fixed set of workers takes jobs from one channel and sends results
// to another. The workers also share a memoization cache (input -> answer),
// a small map every worker reads and writes: that is a mutex's job.
//
// The cache's lock is held only to look up and to store, never while
// computing: a slow computation under the lock would make every other worker
// wait. The price is that two workers that miss the same key at the same time
// both compute it; both get the same answer, so the cache stays correct.
#include <cstdio>
#include <map>
#include <mutex>
#include <vector>

#include "goc/goc.hpp"

using namespace std::chrono_literals;

//! [cache]
// Go:
//     type Memo struct {
//         mu    sync.Mutex
//         cache map[int]int
//     }
//
//     func (m *Memo) Get(n int, compute func(int) int) int {
//         m.mu.Lock()
//         v, ok := m.cache[n]
//         m.mu.Unlock()
//         if ok {
//             return v
//         }
//         v = compute(n) // not under the lock
//         m.mu.Lock()
//         m.cache[n] = v
//         m.mu.Unlock()
//         return v
//     }
class Memo {
 public:
  template <class Compute>
  long get(int n, Compute compute) {
    {
      std::lock_guard guard(mu_);
      if (auto it = cache_.find(n); it != cache_.end()) return it->second;
    }
    long v = compute(n);  // slow: done without the lock
    std::lock_guard guard(mu_);
    cache_[n] = v;
    return v;
  }
  std::size_t size() const {
    std::lock_guard guard(mu_);
    return cache_.size();
  }

 private:
  mutable goc::Mutex mu_;  // guards cache_
  std::map<int, long> cache_;
};
//! [cache]

long slow_cube(int n) {
  goc::sleep_for(20ms);  // stands in for an expensive computation
  return long(n) * n * n;
}

struct Job {
  int index;
  int input;
};
struct Result {
  int index;
  long value;
};

int main() {
  const std::vector<int> inputs = {3, 5, 3, 7, 5, 3, 7, 5};
  Memo memo;

  //! [orchestration]
  // Go:
  //     for w := 0; w < 3; w++ {
  //         wg.Add(1)
  //         go func() {
  //             defer wg.Done()
  //             for j := range jobs {
  //                 results <- Result{j.index, memo.Get(j.input, slowCube)}
  //             }
  //         }()
  //     }
  auto jobs = goc::make_chan<Job>();
  auto results = goc::make_chan<Result>();
  goc::WaitGroup wg;
  for (int w = 0; w < 3; ++w) {
    wg.add(1);
    goc::go([jobs, results, &memo, &wg] {
      for (Job j : jobs) results.send(Result{j.index, memo.get(j.input, slow_cube)});
      wg.done();
    });
  }
  goc::go([jobs, &inputs] {
    for (int i = 0; i < int(inputs.size()); ++i) jobs.send(Job{i, inputs[i]});
    jobs.close();
  });
  goc::go([results, &wg] {
    wg.wait();
    results.close();
  });
  std::vector<long> answers(inputs.size());
  for (Result r : results) answers[r.index] = r.value;
  //! [orchestration]

  for (std::size_t i = 0; i < inputs.size(); ++i)
    std::printf("cube of %d = %ld\n", inputs[i], answers[i]);
  std::printf("the cache holds %zu distinct inputs\n", memo.size());
}
