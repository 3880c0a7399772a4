// WRONG: holds the mutex while computing: each key is computed once, but different keys wait for each other.
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
  std::lock_guard guard(state_->mu);
  auto it = state_->values.find(key);
  if (it != state_->values.end()) return it->second;
  int value = state_->compute(key);
  state_->values[key] = value;
  return value;
}
