// Exercise 02-channels/03-comma-ok-drain: drain a channel with comma-ok.
//
// Task: complete drain() (see drain.hpp) so that it counts and sums every
// value until the channel is closed.
//
// The Go idea: a receive from a closed, empty channel returns the zero value
// at once, so `v := <-ch` cannot tell a sent 0 from "closed". The comma-ok
// form `v, ok := <-ch` can: ok is false only when the channel is closed and
// everything buffered has been received. It is also the way to drain inside
// a loop that does more than a range loop would.
#include "drain.hpp"

DrainReport drain(goc::Channel<int> ch) {
  DrainReport report;
  // TODO: receive with ch.recv_ok() until ok is false, counting every value
  // in report.values and adding it to report.sum.
  (void)ch;
  return report;
}
