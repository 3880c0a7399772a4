// WRONG: checks len() < cap() and then sends: it never sees a waiting receiver, and another sender can fill the slot in between.
#include "drop.hpp"

int send_or_drop(goc::SendChan<int> ch, const std::vector<int>& values) {
  int dropped = 0;
  for (int v : values) {
    if (ch.len() < ch.cap()) ch.send(v);
    else ++dropped;
  }
  return dropped;
}
