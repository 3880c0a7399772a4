// pool_common.hpp: what the lesson-05 exercises share (instructor-owned: do not edit).
//
// The contract headers of 05-worker-pool/01..03 include it. It holds the job
// the pool runs (process_job: square a number, or fail on a negative one) and
// a small probe the tests use to count, pace and hold up jobs. Student code
// calls process_job() and nothing else from here.
#pragma once

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <goc/goc.hpp>

/// The error of a job whose input is negative, word for word: Go's
/// `errors.New("negative input")`.
inline const std::string negative_input_error = "negative input";

/// What one job produces. Go: `type result struct { input, value int; err error }`.
struct Result {
  int input = 0;        ///< the job this result answers
  long long value = 0;  ///< input * input when error is empty; 0 otherwise
  std::string error;    ///< empty on success; negative_input_error for a negative input
};

/// What a pool call returns: the successful results (in any order) and the
/// first error it received (empty when there was none).
struct PoolOutcome {
  std::vector<Result> results;
  std::string first_error;
};

/// The tests' window into the jobs. Student code never needs it.
namespace job_probe {

/// A hook the tests install to slow jobs down or hold them until released.
using Hook = std::function<void(int input)>;

struct State {
  std::mutex mu;  // guards hook (tests swap it between calls)
  std::shared_ptr<const Hook> hook;
  std::atomic<long> started{0};          // process_job calls since reset()
  std::atomic<long> in_flight{0};        // process_job calls running now
  std::atomic<long> max_in_flight{0};    // highest in_flight since reset()
  std::atomic<long> workers_started{0};  // workers the contract's own worker started
};

inline State& state() {
  static State s;
  return s;
}

/// Zeroes the counters (call it when no pool goroutine is running).
inline void reset() {
  state().started = 0;
  state().in_flight = 0;
  state().max_in_flight = 0;
  state().workers_started = 0;
}
inline long jobs_started() { return state().started.load(); }
inline long jobs_in_flight() { return state().in_flight.load(); }
inline long max_jobs_in_flight() { return state().max_in_flight.load(); }
inline long workers_started() { return state().workers_started.load(); }

/// Installs `hook` to run inside every process_job() call, before the
/// result is computed, until the returned guard is destroyed.
class HookGuard {
 public:
  explicit HookGuard(Hook hook) { set(std::make_shared<const Hook>(std::move(hook))); }
  ~HookGuard() { set(nullptr); }
  HookGuard(const HookGuard&) = delete;
  HookGuard& operator=(const HookGuard&) = delete;

 private:
  static void set(std::shared_ptr<const Hook> h) {
    std::lock_guard lock(state().mu);
    state().hook = std::move(h);
  }
};

/// @cond probe internals
inline void job_begins(int input) {
  State& s = state();
  ++s.started;
  long now = ++s.in_flight;
  long seen = s.max_in_flight.load();
  while (now > seen && !s.max_in_flight.compare_exchange_weak(seen, now)) {
  }
  std::shared_ptr<const Hook> hook;
  {
    std::lock_guard lock(s.mu);
    hook = s.hook;
  }
  if (hook) (*hook)(input);
}
inline void job_ends() { --state().in_flight; }
/// @endcond

}  // namespace job_probe

/// The work of one job, given to you: the square of `input`, or the error
/// `negative input` when input < 0. Call it exactly once for every job a
/// worker takes, and send the Result it returns unchanged. (It also reports
/// to the tests, which may make it slow or hold it for a while.)
inline Result process_job(int input) {
  job_probe::job_begins(input);
  Result r;
  r.input = input;
  if (input < 0) {
    r.error = negative_input_error;
  } else {
    r.value = static_cast<long long>(input) * input;
  }
  job_probe::job_ends();
  return r;
}
