// An attack on the reports: output that is not UTF-8 (and control bytes XML
// cannot hold), printed and then carried by a panic, once stopped every
// report from being written. Every report must still be written and valid.
#include "sum.hpp"

#include <goc/goc.hpp>
#include <iostream>
#include <string>

long parallel_sum(const std::vector<int>&, int) {
  std::string bad = "broken \xff\xfe\xc3( bytes \x01\x02\x1b[31m and an overlong \xc0\xaf slash";
  std::cerr << bad << std::endl;
  std::cout << bad << std::endl;
  auto done = goc::make_chan<int>();
  goc::go([bad, done] { goc::panic(bad); });
  done.recv();
  return 0;
}
