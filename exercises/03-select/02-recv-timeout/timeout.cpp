// Exercise 03-select/02-recv-timeout: receive with a timeout.
//
// Task: complete recv_within() (see timeout.hpp). As written it waits for a
// value forever.
//
// The Go idea: time.After(d) returns a channel that delivers once, d from
// now. Put a receive on it in a select next to the receive you really want,
// and whichever is ready first wins: the value, or the timeout. No sleeping,
// no polling.
#include "timeout.hpp"

std::optional<int> recv_within(goc::RecvChan<int> ch, goc::Clock::duration limit) {
  // TODO: give up after `limit` (goc::time_after), and return std::nullopt
  // when the channel is closed.
  (void)limit;
  return ch.recv();
}
