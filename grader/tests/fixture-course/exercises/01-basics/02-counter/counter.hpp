// Contract for the fixture's second exercise.
#pragma once
#include <goc/goc.hpp>

/// A counter that many goroutines may increment at once.
class Counter {
 public:
  void increment();
  long value();

 private:
  goc::Mutex mu_;
  long count_ = 0;
};

/// Starts `goroutines` goroutines that each increment `counter` `times` times; waits for all.
void count_concurrently(Counter& counter, int goroutines, int times);
