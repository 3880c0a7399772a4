// Reference solution for 02-channels/02-generator-sum.
#include "generator.hpp"

goc::RecvChan<int> generate(int first, int last) {
  auto out = goc::make_chan<int>();
  // The goroutine owns the sending side; `out` is captured by value (a
  // channel handle is a reference to the shared channel), so it stays valid
  // after generate() has returned.
  goc::go([=] {
    for (int v = first; v < last; ++v) out.send(v);
    // Only the sender knows there is nothing more: it closes, which ends the
    // receiver's range loop. Closing is also what lets this goroutine end
    // without anyone waiting for it.
    out.close();
  });
  return out;  // returned at once: the values flow as the receiver asks
}

long sum_all(goc::RecvChan<int> values) {
  long sum = 0;
  // Range stops when the channel is closed and every sent value is received,
  // never earlier: a 0 is an ordinary value here.
  for (int v : values) sum += v;
  return sum;
}
