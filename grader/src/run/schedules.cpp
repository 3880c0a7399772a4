#include "schedules.hpp"

namespace grader {

std::vector<std::string> fixed_schedules(int count) {
  std::vector<std::string> out;
  for (int i = 1; i <= count; ++i) {
    if (i % 2 == 1) {
      out.push_back("random:" + std::to_string((i + 1) / 2));
    } else {
      int seed = i / 2;
      out.push_back("pct:" + std::to_string(seed) + ":" + (seed % 2 == 1 ? "2" : "3"));
    }
  }
  return out;
}

std::string replay_option(const std::string& schedule) {
  const std::string random = "random:";
  if (starts_with(schedule, random)) return "--seed " + schedule.substr(random.size());
  return "--schedule " + schedule;
}

std::string replay_command(const std::string& exercise_id, const std::string& schedule) {
  return "`./course check " + exercise_id + " " + replay_option(schedule) + "`";
}

bool schedule_could_not_start(const TestRun& t) {
  const RunResult& r = t.run;
  if (!r.start_error.empty()) return true;
  bool refused = contains(r.output, "fatal error: GOC_SCHEDULE=");
  return refused && r.report.empty() && r.signal == 0 && !r.timed_out;
}

std::string why_schedule_could_not_start(const TestRun& t) {
  if (!t.run.start_error.empty()) return "the test program could not start: " + t.run.start_error;
  for (const std::string& line : split_lines(t.run.output))
    if (starts_with(line, "fatal error: GOC_SCHEDULE=")) return "the runtime refused it: " + cap_text(line, 300);
  return "";
}

bool fold_schedule_run(Evaluation& overall, const Evaluation& scheduled, const std::string& schedule,
                       const std::string& replay) {
  bool failed = false;
  for (std::size_t k = 0; k < overall.items.size() && k < scheduled.items.size(); ++k) {
    GradeItem& item = overall.items[k];
    const GradeItem& under = scheduled.items[k];
    if (under.passed) continue;
    failed = true;
    if (item.schedule.empty()) item.schedule = schedule;  // a replayable failure, for the instructor's trace
    if (!item.passed) continue;  // the first reason it failed stays
    item.passed = false;
    item.score = 0;
    item.output = "passed without a schedule, but failed under the seeded schedule GOC_SCHEDULE=" + schedule +
                  (replay.empty() ? "" : " (" + replay + ")") + ":\n" + under.output;
    --overall.passed;
    overall.all_passed = false;
    if (overall.first_problem.empty())
      overall.first_problem = "\"" + item.name + "\" under GOC_SCHEDULE=" + schedule + ": " +
                              split_lines(under.output + "\n").front();
  }
  return failed;
}

std::string schedules_note(const std::string& exercise_id, const std::vector<std::string>& schedules, int passed,
                           const std::vector<std::string>& failed) {
  std::string counted = std::to_string(passed) + " of " + std::to_string(schedules.size());
  if (failed.empty()) return "seeded schedules: the tests passed under " + counted + " (GOC_SCHEDULE=" +
                             join(schedules, ", ") + ")";
  return "seeded schedules: " + counted + " passed; tests failed under GOC_SCHEDULE=" + join(failed, ", ") + "; " +
         replay_command(exercise_id, failed.front()) + " replays the first of them on the public tests";
}

}  // namespace grader
