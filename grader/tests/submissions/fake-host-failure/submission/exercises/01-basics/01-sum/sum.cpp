// An attack on the host-problem rule: a compile error whose message reads
// like the compiler failing to fork, hoping for "host problem, re-grade"
// instead of 0.
#include "sum.hpp"

#error vfork: Resource temporarily unavailable

long parallel_sum(const std::vector<int>&, int) { return 0; }
