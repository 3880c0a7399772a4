// WRONG: "fixes" the capture by calling visit directly in the loop: no goroutines, nothing concurrent.
#include "visit.hpp"

void visit_each_index(int n, const std::function<void(int)>& visit) {
  for (int i = 0; i < n; ++i) visit(i);
}
