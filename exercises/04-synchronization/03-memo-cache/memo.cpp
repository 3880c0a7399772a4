// Exercise 04-sync/03-memo-cache: compute once per key, even under concurrency.
//
// Task: complete Memo (see memo.hpp). As written get() computes every time.
//
// The Go idea: a mutex guards the map, but the slow computation must run
// with the mutex released, or every key waits for every other. So the first
// caller of a key puts an entry saying "being computed" in the map, unlocks,
// computes, stores the value and then closes the entry's `ready` channel.
// Closing a channel wakes every receiver at once (a broadcast), and the close
// happens before each of those receives returns, so waiters then read the
// value safely.
#include "memo.hpp"

#include <map>
#include <mutex>

#include <goc/goc.hpp>

struct Memo::State {
  std::function<int(int)> compute;
  // TODO: add the map of entries (each with its value and a `ready`
  // channel) and the mutex that guards the map.
};

Memo::Memo(std::function<int(int)> compute) : state_(std::make_unique<State>()) {
  state_->compute = std::move(compute);
}

Memo::~Memo() = default;

int Memo::get(int key) {
  // TODO: look the key up under the lock. The first caller for the key adds
  // an entry and computes (after unlocking), then publishes the value and
  // closes `ready`; every other caller waits on `ready` and reads the value.
  return state_->compute(key);
}
