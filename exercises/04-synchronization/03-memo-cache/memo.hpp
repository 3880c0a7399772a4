// Contract for exercise 04-sync/03-memo-cache (instructor-owned: do not edit).
#pragma once

#include <functional>
#include <memory>

/// A cache of compute(key) that many goroutines may use at the same time.
///
/// get(key) returns compute(key). compute runs at most once per key for the
/// Memo's lifetime: a get for a key that is being computed waits for that
/// computation (without busy-waiting) and returns its result; a get for a
/// key already computed returns at once. Computations of different keys may
/// run at the same time: no lock is held while compute runs. compute never
/// throws. A Memo is neither copied nor moved; it is destroyed only after
/// every get() on it has returned.
class Memo {
 public:
  explicit Memo(std::function<int(int)> compute);
  ~Memo();
  Memo(const Memo&) = delete;
  Memo& operator=(const Memo&) = delete;

  int get(int key);

 private:
  struct State;  // defined in memo.cpp: the map, its mutex, ...
  std::unique_ptr<State> state_;
};
