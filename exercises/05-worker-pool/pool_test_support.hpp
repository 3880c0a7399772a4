// pool_test_support.hpp: helpers the lesson-05 exercise tests share.
//
// Tests include it as "../pool_test_support.hpp"; students never need it.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <memory>
#include <numeric>
#include <vector>

#include <goc/goc.hpp>

#include "exercise_support.hpp"

namespace pool_test {

/// True when `signal` is closed. Only for channels nobody sends on (done,
/// cancel, "exited" signals): a pending value would be taken and lost.
inline bool is_closed(const goc::Channel<goc::Empty>& signal) {
  bool closed = false;
  goc::select(goc::recv_case(signal, [&](goc::Empty, bool ok) { closed = !ok; }),
              goc::default_case());
  return closed;
}

/// Waits until `signal` is closed (or sent on), at most `limit`; true if it was.
inline bool signalled_within(const goc::Channel<goc::Empty>& signal,
                             std::chrono::milliseconds limit) {
  bool in_time = false;
  goc::select(goc::recv_case(signal, [&] { in_time = true; }),
              goc::recv_case(goc::time_after(limit)));
  return in_time;
}

/// How long a repeated scenario may keep starting rounds (see repeat()).
/// Under ThreadSanitizer rounds are 5-15x slower; the budget grows less, so
/// fewer rounds run there.
#ifdef GOC_TSAN_BUILD
inline constexpr std::chrono::milliseconds repeat_budget{4000};
#else
inline constexpr std::chrono::milliseconds repeat_budget{1500};
#endif

/// Runs `round(i)` for i = 0, 1, ... up to `max_rounds` times, but stops
/// starting new rounds once `budget` has passed (after at least `min_rounds`),
/// so a loaded machine or a slow build makes the test shorter, not flaky.
/// The rounds are there for bugs of logic that show only in some
/// interleavings (two goroutines that both close done), which ThreadSanitizer
/// does not report: keep their number the same under ThreadSanitizer (the one
/// exception is same_answer_rounds, below).
/// Returns how many rounds ran.
template <class F>
int repeat(int max_rounds, std::chrono::milliseconds budget, F&& round, int min_rounds = 5) {
  auto start = goc::Clock::now();
  int i = 0;
  for (; i < max_rounds; ++i) {
    if (i >= min_rounds && goc::Clock::now() - start > budget) break;
    round(i);
  }
  return i;
}

/// Rounds of a "repeated runs give the same answers" scenario: whole pool runs
/// with and without an error, compared with the expected answers. Every wrong
/// answer they catch is also caught by a narrower test, or by the plain
/// build's 50 rounds; under ThreadSanitizer, where each round costs ten times
/// as much, a few rounds are enough for the detector to see the pool's races.
#ifdef GOC_TSAN_BUILD
inline constexpr int same_answer_rounds = 8;
#else
inline constexpr int same_answer_rounds = 50;
#endif

/// 0, 1, ..., n-1.
inline std::vector<int> first_n(int n) {
  std::vector<int> v(static_cast<std::size_t>(n));
  std::iota(v.begin(), v.end(), 0);
  return v;
}

/// The inputs the given results answer, sorted.
template <class R>
std::vector<int> sorted_inputs(const std::vector<R>& results) {
  std::vector<int> inputs;
  inputs.reserve(results.size());
  for (const auto& r : results) inputs.push_back(r.input);
  std::sort(inputs.begin(), inputs.end());
  return inputs;
}

/// A signal that holds jobs back: a job hook captures channel() by value and
/// receives from it; open() (or the Gate's end) releases every held job.
class Gate {
 public:
  Gate() : ch_(goc::make_chan<goc::Empty>()) {}
  ~Gate() { open(); }
  Gate(const Gate&) = delete;
  Gate& operator=(const Gate&) = delete;
  /// Opens the gate (once; later calls do nothing).
  void open() {
    if (!opened_) {
      opened_ = true;
      ch_.close();
    }
  }
  /// The channel, for capture by value in hooks that outlive the Gate object.
  goc::Channel<goc::Empty> channel() const { return ch_; }

 private:
  goc::Channel<goc::Empty> ch_;
  bool opened_ = false;
};

}  // namespace pool_test
