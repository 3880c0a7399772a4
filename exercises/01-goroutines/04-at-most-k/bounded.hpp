// Contract for exercise 01-goroutines/04-at-most-k (instructor-owned: do not edit).
#pragma once

#include <functional>
#include <vector>

/// Calls process(item) once for every element of `items`, on goroutines,
/// with at most `k` goroutines alive at any moment besides the caller (a
/// goroutine counts as alive until its function has returned). k >= 1.
///
/// The work is shared: up to k calls run at the same time, and a goroutine
/// that finishes an item goes on with another, so one slow item holds up
/// only its own goroutine. Returns after every call has returned; no
/// goroutine is left running.
void process_all(const std::vector<int>& items, int k, const std::function<void(int)>& process);
