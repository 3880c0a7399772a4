// WRONG: uses a plain receive and takes a 0 to mean "closed", so a sent 0 ends the drain early.
#include "drain.hpp"

DrainReport drain(goc::Channel<int> ch) {
  DrainReport report;
  for (int v = ch.recv(); v != 0; v = ch.recv()) {
    ++report.values;
    report.sum += v;
  }
  return report;
}
