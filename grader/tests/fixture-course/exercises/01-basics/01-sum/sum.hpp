// Contract for the fixture's first exercise.
#pragma once
#include <vector>

/// Sum of `values`, computed by `workers` goroutines each summing a chunk.
long parallel_sum(const std::vector<int>& values, int workers);
