// Contract for exercise 01-goroutines/03-loop-capture (instructor-owned: do not edit).
#pragma once

#include <functional>

/// Starts one goroutine per index 0, 1, ..., n-1; the goroutine for index i
/// calls visit(i), so every index is visited exactly once, each on its own
/// goroutine. All n goroutines are started before any is waited for (a
/// visit may wait for the others to begin). Returns after every visit has
/// returned; no goroutine is left running. n >= 0.
void visit_each_index(int n, const std::function<void(int)>& visit);
