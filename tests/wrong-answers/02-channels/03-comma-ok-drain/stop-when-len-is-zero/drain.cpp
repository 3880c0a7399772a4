// WRONG: stops as soon as nothing is buffered (len() == 0), though the channel is still open and more values are coming.
#include "drain.hpp"

DrainReport drain(goc::Channel<int> ch) {
  DrainReport report;
  while (ch.len() > 0) {
    auto [value, ok] = ch.recv_ok();
    if (!ok) break;
    ++report.values;
    report.sum += value;
  }
  return report;
}
