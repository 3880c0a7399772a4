// Reference solution for 04-sync/03-memo-cache.
#include "memo.hpp"

#include <map>
#include <mutex>

#include <goc/goc.hpp>

namespace {

// One key's result. `value` is written once, by the computing caller, before
// `ready` is closed; everyone else reads it only after receiving from
// `ready`, so the close orders the write before their reads.
struct Entry {
  int value = 0;
  goc::Channel<goc::Empty> ready = goc::make_chan<goc::Empty>();
};

}  // namespace

struct Memo::State {
  std::function<int(int)> compute;
  goc::Mutex mu;                                   // guards `entries`
  std::map<int, std::shared_ptr<Entry>> entries;   // present = computed or being computed
};

Memo::Memo(std::function<int(int)> compute) : state_(std::make_unique<State>()) {
  state_->compute = std::move(compute);
}

Memo::~Memo() = default;

int Memo::get(int key) {
  State& s = *state_;
  std::shared_ptr<Entry> entry;
  bool first = false;
  {
    // The lock covers only the lookup-or-insert, so "is anyone computing
    // this key?" and "I will" are one atomic step: exactly one caller per
    // key sees it missing.
    std::lock_guard guard(s.mu);
    auto& slot = s.entries[key];
    if (!slot) {
      slot = std::make_shared<Entry>();
      first = true;
    }
    entry = slot;
  }
  if (first) {
    // Computed with the lock released: other keys, and lookups of keys
    // already done, proceed meanwhile.
    entry->value = s.compute(key);
    entry->ready.close();  // broadcast: wakes every waiter, now and later
  } else {
    // Blocks until the close (returns at once if it already happened).
    entry->ready.recv();
  }
  return entry->value;
}
