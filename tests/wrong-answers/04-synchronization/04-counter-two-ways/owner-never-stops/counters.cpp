// WRONG: the destructor waits for the owner to exit but never closes the request channel, so the owner never stops.
#include "counters.hpp"

#include <mutex>

// ---- MutexCounter ----------------------------------------------------------

void MutexCounter::add(long delta) {
  std::lock_guard guard(mu_);  // the read-modify-write is one critical section
  value_ += delta;
}

long MutexCounter::value() {
  // A read must hold the lock as well: otherwise it races with add() (and
  // nothing orders the adds that returned before it).
  std::lock_guard guard(mu_);
  return value_;
}

// ---- OwnerCounter ----------------------------------------------------------

OwnerCounter::OwnerCounter()
    : requests_(goc::make_chan<Request>()), exited_(goc::make_chan<goc::Empty>()) {
  // The owner captures the channels, not `this`: it needs nothing else.
  goc::go([requests = requests_, exited = exited_] {
    long count = 0;  // owned: no other goroutine can even see it, so no lock
    // Requests are served one at a time, in the order they arrive: that
    // serial loop is what a mutex would otherwise provide.
    for (Request r : requests) {
      count += r.delta;
      if (!r.reply.is_nil()) r.reply.send(count);  // buffered: never blocks
    }
    exited.close();
  });
}

OwnerCounter::~OwnerCounter() {
  exited_.recv();
}

void OwnerCounter::add(long delta) {
  // Unbuffered: add() returns once the owner has taken the request. The
  // owner applies it before it takes the next request, so any value()
  // asked later (by anyone) includes it.
  requests_.send(Request{delta, {}});
}

long OwnerCounter::value() {
  // Capacity 1, so the owner's reply never waits for us.
  auto reply = goc::make_chan<long>(1);
  requests_.send(Request{0, reply});
  return reply.recv();
}
