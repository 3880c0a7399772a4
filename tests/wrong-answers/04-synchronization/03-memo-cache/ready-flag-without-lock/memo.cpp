// WRONG: waiters spin on a volatile `done` flag instead of waiting on a channel: a busy loop while waiting, and a data race.
#include "memo.hpp"

#include <map>
#include <mutex>
#include <thread>

#include <goc/goc.hpp>

namespace {
struct Entry {
  int value = 0;
  volatile bool done = false;
};
}  // namespace

struct Memo::State {
  std::function<int(int)> compute;
  goc::Mutex mu;
  std::map<int, std::shared_ptr<Entry>> entries;
};

Memo::Memo(std::function<int(int)> compute) : state_(std::make_unique<State>()) {
  state_->compute = std::move(compute);
}

Memo::~Memo() = default;

int Memo::get(int key) {
  std::shared_ptr<Entry> entry;
  bool first = false;
  {
    std::lock_guard guard(state_->mu);
    auto& slot = state_->entries[key];
    if (!slot) {
      slot = std::make_shared<Entry>();
      first = true;
    }
    entry = slot;
  }
  if (first) {
    entry->value = state_->compute(key);
    entry->done = true;
  } else {
    while (!entry->done) std::this_thread::yield();
  }
  return entry->value;
}
