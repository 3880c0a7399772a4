// WRONG: the consumer treats a received 0 as "closed" instead of asking the channel, so it stops early.
#include "generator.hpp"

goc::RecvChan<int> generate(int first, int last) {
  auto out = goc::make_chan<int>();
  goc::go([=] {
    for (int v = first; v < last; ++v) out.send(v);
    out.close();
  });
  return out;
}

long sum_all(goc::RecvChan<int> values) {
  long sum = 0;
  for (int v = values.recv(); v != 0; v = values.recv()) sum += v;
  return sum;
}
