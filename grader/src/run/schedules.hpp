// The fixed set of seeded schedules (GOC_SCHEDULE values) that `check` and
// grading run the tests under, besides the free-running plain and
// ThreadSanitizer runs; and how a failure under one is replayed.
#pragma once

#include <string>
#include <vector>

#include "testrun.hpp"

namespace grader {

/// The first `count` schedules of the course's fixed set, in order: number i
/// (1-based) is "random:<(i+1)/2>" when i is odd, else "pct:<i/2>:<depth>"
/// with depth 2 when i/2 is odd and 3 when it is even. So 4 gives random:1,
/// pct:1:2, random:2, pct:2:3. None for count <= 0.
std::vector<std::string> fixed_schedules(int count);

/// The `check` option that replays a schedule: "--seed 7" for random:7,
/// "--schedule pct:3:2" for any other.
std::string replay_option(const std::string& schedule);

/// "`./course check 05-worker-pool/02-pool --seed 7`".
std::string replay_command(const std::string& exercise_id, const std::string& schedule);

/// The schedule run never reached the tests for a reason of the machine or
/// the grader, not of the student's code: the program could not start, or
/// the runtime refused the GOC_SCHEDULE value before any test began (student
/// code cannot end the program before the tests start: exit and its kin are
/// refused by the symbol check).
bool schedule_could_not_start(const TestRun& t);
/// What kept such a run from starting, in the grader's or the runtime's
/// words only (nothing else the program printed, which may come from
/// hidden tests).
std::string why_schedule_could_not_start(const TestRun& t);

/// Folds one schedule run's evaluation into `overall` (a run of the same
/// test cases): a test case that passed so far but failed under `schedule`
/// fails, worth nothing, its output saying so and how to replay it
/// (`replay`, a sentence put in brackets after the schedule; empty for none). Returns whether any test case failed there.
bool fold_schedule_run(Evaluation& overall, const Evaluation& scheduled, const std::string& schedule,
                       const std::string& replay);

/// The note an exercise's report gets after its schedule runs: how many of
/// `schedules` passed, or under which the tests failed and the command that
/// replays the public tests there.
std::string schedules_note(const std::string& exercise_id, const std::vector<std::string>& schedules, int passed,
                           const std::vector<std::string>& failed);

}  // namespace grader
