// Contract for exercise 01-goroutines/02-race-counter (instructor-owned: do not edit).
#pragma once

/// Starts `goroutines` goroutines that each add 1 to one shared total
/// `increments_each` times, waits for all of them, and returns the total,
/// which must be exactly goroutines * increments_each, on every run.
///
/// Both arguments are >= 0. Each of the `goroutines` does its increments on
/// its own goroutine, without a data race, and none is left running.
long count_concurrently(int goroutines, int increments_each);
