// WRONG: the generator never closes its channel, so a range over it never ends.
#include "generator.hpp"

goc::RecvChan<int> generate(int first, int last) {
  auto out = goc::make_chan<int>();
  goc::go([=] {
    for (int v = first; v < last; ++v) out.send(v);
  });
  return out;
}

long sum_all(goc::RecvChan<int> values) {
  long sum = 0;
  for (int v : values) sum += v;
  return sum;
}
