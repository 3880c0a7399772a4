// WRONG: the owner keeps the count in a member that value() reads directly, bypassing the owner: a data race.
// CAUGHT BY: race
#include "counters.hpp"

#include <memory>
#include <mutex>

void MutexCounter::add(long delta) {
  std::lock_guard guard(mu_);
  value_ += delta;
}

long MutexCounter::value() {
  std::lock_guard guard(mu_);
  return value_;
}

namespace {
// Shared between the owner and value(): exactly what the owner pattern avoids.
long shared_count = 0;
}  // namespace

OwnerCounter::OwnerCounter()
    : requests_(goc::make_chan<Request>()), exited_(goc::make_chan<goc::Empty>()) {
  shared_count = 0;
  goc::go([requests = requests_, exited = exited_] {
    for (Request r : requests) shared_count += r.delta;
    exited.close();
  });
}

OwnerCounter::~OwnerCounter() {
  requests_.close();
  exited_.recv();
}

void OwnerCounter::add(long delta) { requests_.send(Request{delta, {}}); }

long OwnerCounter::value() { return shared_count; }
