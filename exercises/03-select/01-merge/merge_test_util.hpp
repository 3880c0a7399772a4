// Helpers shared by the public and hidden tests of 03-select/01-merge.
#pragma once

#include <vector>

#include <goc/goc.hpp>

namespace merge_test {

// A goroutine sends `values` on a new channel of capacity `cap`, then closes it.
inline goc::Channel<int> source(std::vector<int> values, std::size_t cap = 0) {
  auto ch = goc::make_chan<int>(cap);
  goc::go([ch, values] {
    for (int v : values) ch.send(v);
    ch.close();
  });
  return ch;
}

// Receives until `out` is closed, but never more than `limit` values, so that
// a merge that forwards endless zeros fails instead of hanging the test.
inline std::vector<int> collect(goc::RecvChan<int> out, std::size_t limit) {
  std::vector<int> got;
  while (got.size() <= limit) {
    auto [v, ok] = out.recv_ok();
    if (!ok) break;
    got.push_back(v);
  }
  return got;
}

// The values of `all` that lie in [lo, hi), in the order received.
inline std::vector<int> from_range(const std::vector<int>& all, int lo, int hi) {
  std::vector<int> picked;
  for (int v : all)
    if (v >= lo && v < hi) picked.push_back(v);
  return picked;
}

inline std::vector<int> range(int lo, int hi) {
  std::vector<int> r;
  for (int v = lo; v < hi; ++v) r.push_back(v);
  return r;
}

}  // namespace merge_test
