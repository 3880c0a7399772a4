// Reference solution for 02-channels/03-comma-ok-drain.
#include "drain.hpp"

DrainReport drain(goc::Channel<int> ch) {
  DrainReport report;
  for (;;) {
    // recv_ok blocks while the channel is open and empty, so slow senders
    // are waited for; ok turns false only once it is closed AND drained, so
    // buffered values are never lost and a received 0 is just a value.
    auto [value, ok] = ch.recv_ok();
    if (!ok) break;
    ++report.values;
    report.sum += value;
  }
  return report;
}
