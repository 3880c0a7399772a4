// Exercise 03-select/04-drop-when-full: a non-blocking "drop when full" send.
//
// Task: complete send_or_drop() (see drop.hpp). As written it sends every
// value and blocks as soon as the channel cannot take one.
//
// The Go idea: a select with a default case never blocks. If no other case
// can proceed right now, default runs instead. `select { case ch <- v: ;
// default: dropped++ }` is how a producer that must not stall (a logger, a
// metrics sampler) sheds load when its consumer falls behind.
#include "drop.hpp"

int send_or_drop(goc::SendChan<int> ch, const std::vector<int>& values) {
  int dropped = 0;
  for (int v : values) {
    // TODO: send v only if the channel can take it right now; otherwise
    // count it as dropped.
    ch.send(v);
  }
  return dropped;
}
