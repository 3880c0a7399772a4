// WRONG: generates into a buffered channel on the caller's goroutine: no generator goroutine, and the whole range is held in memory.
#include "generator.hpp"

goc::RecvChan<int> generate(int first, int last) {
  auto out = goc::make_chan<int>(last > first ? static_cast<std::size_t>(last - first) : 0);
  for (int v = first; v < last; ++v) out.send(v);
  out.close();
  return out;
}

long sum_all(goc::RecvChan<int> values) {
  long sum = 0;
  for (int v : values) sum += v;
  return sum;
}
