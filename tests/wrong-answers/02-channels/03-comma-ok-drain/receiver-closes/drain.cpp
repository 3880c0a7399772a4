// WRONG: the receiver closes the channel once nothing is buffered, "to finish up": a sender that sends later panics.
#include "drain.hpp"

DrainReport drain(goc::Channel<int> ch) {
  DrainReport report;
  while (ch.len() > 0) {
    auto [value, ok] = ch.recv_ok();
    if (!ok) break;
    ++report.values;
    report.sum += value;
  }
  ch.close();
  return report;
}
