// Reference solution for 03-select/04-drop-when-full.
#include "drop.hpp"

int send_or_drop(goc::SendChan<int> ch, const std::vector<int>& values) {
  int dropped = 0;
  for (int v : values) {
    // The send case proceeds only if it can right now: a free buffer slot,
    // or a receiver already parked (which is the only way an unbuffered
    // channel can take a value). Otherwise default runs: never a block.
    // Asking len() < cap() first would be wrong twice: it is stale by the
    // time we send (another sender may fill the slot), and it never sees a
    // waiting receiver.
    goc::select(goc::send_case(ch, v), goc::default_case([&] { ++dropped; }));
  }
  return dropped;
}
