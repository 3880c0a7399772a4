// Contract for exercise 04-sync/04-counter-two-ways (instructor-owned: do not edit).
#pragma once

#include <goc/goc.hpp>

/// A counter that any number of goroutines may use at the same time.
/// add(delta) adds delta; value() returns the current total, which includes
/// every add() that returned before value() was called. Both are safe to
/// call concurrently, with no data race.

/// The counter kept behind a mutex.
class MutexCounter {
 public:
  void add(long delta);
  long value();

 private:
  goc::Mutex mu_;    // guards value_
  long value_ = 0;
};

/// The same counter with no lock at all: one goroutine, the owner, holds
/// the count and is the only one to touch it; add() and value() send it
/// requests over a channel. The constructor starts the owner; the destructor
/// stops it (closing the request channel) and returns after it has exited.
/// Nothing else may be used on the counter while it is being destroyed.
class OwnerCounter {
 public:
  OwnerCounter();
  ~OwnerCounter();
  OwnerCounter(const OwnerCounter&) = delete;
  OwnerCounter& operator=(const OwnerCounter&) = delete;

  void add(long delta);
  long value();

 private:
  struct Request {
    long delta = 0;                  // what to add (0 for a value() request)
    goc::Channel<long> reply;        // value(): where the owner sends the total; nil for add()
  };
  goc::Channel<Request> requests_;   // to the owner
  goc::Channel<goc::Empty> exited_;  // closed by the owner when it returns
};
