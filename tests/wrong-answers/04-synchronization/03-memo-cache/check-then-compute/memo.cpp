// WRONG: checks under the lock, unlocks, computes, locks again to store: concurrent callers of one key all compute it.
#include "memo.hpp"

#include <map>
#include <mutex>

#include <goc/goc.hpp>

struct Memo::State {
  std::function<int(int)> compute;
  goc::Mutex mu;
  std::map<int, int> values;
};

Memo::Memo(std::function<int(int)> compute) : state_(std::make_unique<State>()) {
  state_->compute = std::move(compute);
}

Memo::~Memo() = default;

int Memo::get(int key) {
  {
    std::lock_guard guard(state_->mu);
    auto it = state_->values.find(key);
    if (it != state_->values.end()) return it->second;
  }
  int value = state_->compute(key);
  std::lock_guard guard(state_->mu);
  state_->values[key] = value;
  return value;
}
