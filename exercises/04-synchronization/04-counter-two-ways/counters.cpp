// Exercise 04-sync/04-counter-two-ways: one counter, built two ways.
//
// Task: complete both counters (see counters.hpp). MutexCounter has no
// locking yet; OwnerCounter's owner goroutine ignores its requests, and
// add()/value() do not send any.
//
// The Go idea: shared state can be guarded by a lock (sync.Mutex), or given
// to a single goroutine that owns it and serves requests over channels.
// "Do not communicate by sharing memory; instead, share memory by
// communicating." Both are correct; the owner has no lock to forget, but
// every access is a message.
#include "counters.hpp"

#include <mutex>

// ---- MutexCounter ----------------------------------------------------------

void MutexCounter::add(long delta) {
  // TODO: hold mu_ while touching value_.
  value_ += delta;
}

long MutexCounter::value() {
  // TODO: reading needs the lock too.
  return value_;
}

// ---- OwnerCounter ----------------------------------------------------------

OwnerCounter::OwnerCounter()
    : requests_(goc::make_chan<Request>()), exited_(goc::make_chan<goc::Empty>()) {
  goc::go([requests = requests_, exited = exited_] {
    long count = 0;  // only this goroutine ever touches count
    for (Request r : requests) {
      // TODO: apply the request to count, and answer value() requests on
      // their reply channel.
      (void)r;
    }
    (void)count;
    exited.close();
  });
}

OwnerCounter::~OwnerCounter() {
  requests_.close();  // the owner's range loop ends...
  exited_.recv();     // ...and we return only after it has exited
}

void OwnerCounter::add(long delta) {
  // TODO: send the owner a request to add delta.
  (void)delta;
}

long OwnerCounter::value() {
  // TODO: send the owner a request with a reply channel, and return its answer.
  return 0;
}
