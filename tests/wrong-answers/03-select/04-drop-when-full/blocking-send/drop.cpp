// WRONG: a select with a send case but no default still blocks when the channel is full.
#include "drop.hpp"

int send_or_drop(goc::SendChan<int> ch, const std::vector<int>& values) {
  int dropped = 0;
  for (int v : values) goc::select(goc::send_case(ch, v));
  return dropped;
}
