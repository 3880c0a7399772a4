// WRONG: calls the job directly; it finishes in time but never runs on a goroutine.
#include "wait.hpp"

void run_and_wait(std::function<void()> job) { job(); }
