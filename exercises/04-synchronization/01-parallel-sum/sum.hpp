// Contract for exercise 04-sync/01-parallel-sum (instructor-owned: do not edit).
#pragma once

#include <vector>

/// Returns the sum of `numbers`, computed in parallel: the numbers are split
/// into `parts` contiguous chunks (parts >= 1; chunks may be empty when there
/// are fewer numbers than parts), each chunk is summed on its own goroutine,
/// and the partial sums are added once every goroutine has finished.
/// No goroutine is left running.
long parallel_sum(const std::vector<int>& numbers, int parts);
