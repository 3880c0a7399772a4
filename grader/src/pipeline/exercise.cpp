#include "exercise.hpp"

#include "diagnose.hpp"
#include "schedules.hpp"

namespace grader {

GradeItem race_item(const Exercise& e) {
  GradeItem item;
  item.name = "race detector: public and hidden tests under ThreadSanitizer";
  item.kind = ItemKind::race;
  item.max_score = e.points.race;
  return item;
}

std::string hidden_test_label(const std::string& name, bool show_name) {
  return show_name ? "hidden test \"" + name + "\"" : "a hidden test";
}

ExerciseGrading::ExerciseGrading(const GradeOptions& options, const Exercise& e, const TestPlan& plan,
                                 const fs::path& overlay, const Sandbox& sandbox, const fs::path& sandbox_root,
                                 SubmissionBuilder& builder)
    : options_(options), e_(e), plan_(plan), overlay_(overlay), sandbox_(sandbox), sandbox_root_(sandbox_root),
      builder_(builder) {}

void ExerciseGrading::zero_items(ExerciseResult& r, const std::string& why) const {
  auto add = [&](const std::vector<std::string>& names, ItemKind kind, double points) {
    std::vector<double> shares = split_points(points, names.size());
    for (std::size_t k = 0; k < names.size(); ++k)
      r.items.push_back(GradeItem{names[k], kind, 0, shares[k], false, why, 0, ""});
  };
  add(plan_.public_names, ItemKind::public_test, e_.points.public_tests);
  add(plan_.hidden_names, ItemKind::hidden_test, e_.points.hidden_tests);
  GradeItem race = race_item(e_);
  race.output = why;
  r.items.push_back(race);
}

void ExerciseGrading::compile_error(ExerciseResult& r, const std::string& log) const {
  r.status = "compile error";
  r.details = explain_compile_errors(log, overlay_);
  r.summary = split_lines(r.details + "\n").front();
  zero_items(r, "did not compile:\n" + r.details);
}

void ExerciseGrading::refuse(ExerciseResult& r, const VariantPrograms& programs) const {
  const BuildOutcome& refused = programs.public_program.refused ? programs.public_program : programs.hidden_program;
  r.status = "refused";
  r.details = tidy_paths(refused.log, overlay_);
  auto lines = split_lines(r.details);
  r.summary = lines.size() > 1 ? trim(lines[1].substr(1)) : r.details;
  r.full_summary = r.summary;
  r.items.clear();
  r.public_passed = r.hidden_passed = 0;
  r.races = "-";
  r.leaks = false;
  r.hidden_details.clear();
  zero_items(r, "refused before linking: " + r.summary);
}

void ExerciseGrading::host_problem(ExerciseResult& r, const VariantPrograms& programs) const {
  r.status = "host problem";
  r.host_problem = true;
  r.summary = programs.compilers_disagree()
                  ? "clang++, the grading compiler, refused a file that g++ accepts; it is not the student's fault: "
                    "grade again with --compiler g++"
                  : "the grading machine could not build this exercise (twice); it is not the student's fault: re-grade it";
  r.details = cap_text(programs.failed_log(), 2000);
  zero_items(r, "not graded: " + r.summary);
}

VariantPrograms ExerciseGrading::build(InstructorBuild& ib) {
  VariantPrograms programs = build_once(ib);
  programs.host_failure = programs.compilers_disagree();  // the same compiler would refuse it again
  if (programs.ok(plan_) || programs.host_failure || !is_host_failure(programs.failed_log())) return programs;
  builder_.forget_failures();
  programs = build_once(ib);
  programs.host_failure = !programs.ok(plan_) && is_host_failure(programs.failed_log());
  return programs;
}

VariantPrograms ExerciseGrading::build_once(InstructorBuild& ib) {
  auto build_target = [&](const std::string& target) {
    std::string why;
    auto recipe = ib.recipe(e_, target, why);
    if (!recipe) throw UserError("cannot reuse the instructor build: " + why);
    return builder_.build(e_, target, *recipe, ib.variant());
  };
  VariantPrograms programs;
  if (plan_.one_program) {
    programs.public_program = programs.hidden_program = build_target(plan_.both_target);
  } else {
    programs.public_program = build_target(plan_.public_target);
    if (programs.public_program.ok && plan_.has_hidden) programs.hidden_program = build_target(plan_.hidden_target);
  }
  return programs;
}

ListRun ExerciseGrading::run_list(const BuildOutcome& program, const std::vector<std::string>& names,
                                  ItemKind kind, Variant variant, double points, const std::string& schedule) {
  bool tsan = variant == Variant::tsan;
  double timeout = tsan ? options_.timeout_tsan : options_.timeout_plain;
  Sandbox sandbox = sandbox_;
  sandbox.max_memory_bytes = tsan ? options_.max_memory_tsan : options_.max_memory_plain;
  ListRun list;
  const std::vector<std::string>* only = plan_.one_program ? &names : nullptr;
  RunWatch watch;
  watch.variant = tsan ? "ThreadSanitizer" : "plain";
  if (!schedule.empty()) watch.variant += ", GOC_SCHEDULE=" + schedule;
  watch.schedule = schedule;
  list.run = run_tests(program.binary, timeout, sandbox, sandbox_root_, only, watch);
  list.evaluation = evaluate(names, list.run, kind, points, timeout, overlay_);
  if (kind == ItemKind::hidden_test)
    for (auto& item : list.evaluation.items) item.output = cap_text(item.output, kHiddenOutputCap);
  return list;
}

VariantRuns ExerciseGrading::run(const VariantPrograms& programs, Variant variant, double points_public,
                                 double points_hidden) {
  VariantRuns runs;
  runs.public_tests =
      run_list(programs.public_program, plan_.public_names, ItemKind::public_test, variant, points_public);
  if (plan_.has_hidden)
    runs.hidden_tests =
        run_list(programs.hidden_program, plan_.hidden_names, ItemKind::hidden_test, variant, points_hidden);
  return runs;
}

ExerciseGrading::ScheduleOutcome ExerciseGrading::run_schedule(const VariantPrograms& programs, VariantRuns& plain,
                                                               const std::string& schedule, std::string& host_why) {
  ListRun pub = run_list(programs.public_program, plan_.public_names, ItemKind::public_test, Variant::plain,
                         e_.points.public_tests, schedule);
  ListRun hid;
  if (plan_.has_hidden)
    hid = run_list(programs.hidden_program, plan_.hidden_names, ItemKind::hidden_test, Variant::plain,
                   e_.points.hidden_tests, schedule);
  for (const TestRun* t : {&pub.run, &hid.run})
    if (schedule_could_not_start(*t)) {
      host_why = why_schedule_could_not_start(*t);
      return ScheduleOutcome::host_error;
    }
  bool failed = fold_schedule_run(plain.public_tests.evaluation, pub.evaluation, schedule,
                                  replay_command(e_.id, schedule) + " replays the public tests there");
  if (plan_.has_hidden) {
    failed = fold_schedule_run(plain.hidden_tests.evaluation, hid.evaluation, schedule, "") || failed;
    for (auto& item : plain.hidden_tests.evaluation.items) item.output = cap_text(item.output, kHiddenOutputCap);
  }
  if (pub.run.run.timed_out || hid.run.run.timed_out) return ScheduleOutcome::stopped;
  return failed ? ScheduleOutcome::failed : ScheduleOutcome::passed;
}

void ExerciseGrading::run_schedules(ExerciseResult& r, const VariantPrograms& programs, VariantRuns& plain,
                                    int count) {
  if (count <= 0 || plain.timed_out()) return;
  std::vector<std::string> schedules = fixed_schedules(count), failed;
  int passed = 0;
  for (const std::string& schedule : schedules) {
    std::string host_why;
    ScheduleOutcome outcome = run_schedule(programs, plain, schedule, host_why);
    if (outcome == ScheduleOutcome::host_error) {
      r.host_problem = true;
      r.notes.push_back("the grading machine could not run the tests under the seeded schedule GOC_SCHEDULE=" +
                        schedule + " (not the student's fault; re-grade): " + host_why);
      return;
    }
    passed += outcome == ScheduleOutcome::passed;
    if (outcome != ScheduleOutcome::passed) failed.push_back(schedule);
    if (outcome == ScheduleOutcome::stopped) break;  // a hang under one schedule: the rest would cost as much
  }
  r.notes.push_back(schedules_note(e_.id, schedules, passed, failed));
}

void ExerciseGrading::record_plain(ExerciseResult& r, const VariantRuns& plain) const {
  r.public_passed = plain.public_tests.evaluation.passed;
  r.hidden_passed = plain.hidden_tests.evaluation.passed;
  r.leaks = plain.leaks();
  for (auto* list : {&plain.public_tests, &plain.hidden_tests})
    for (auto& i : list->evaluation.items) r.items.push_back(i);
  // A deadlock dump from the public run is the student's to see; one from the
  // hidden run names hidden test lines, so the student gets it after publishing.
  auto dump = [](const std::string& output) {  // of a deadlock, or of the program stopped at its time limit
    std::string d = deadlock_dump(output);
    return d.empty() ? time_limit_dump(output) : d;
  };
  r.details = tidy_paths(dump(plain.public_tests.run.run.output), overlay_);
  if (r.details.empty())
    r.hidden_details = tidy_paths(dump(plain.hidden_tests.run.run.output), overlay_);
}

std::string ExerciseGrading::visible_problem(const Evaluation& ev, ItemKind kind) const {
  if (ev.first_problem.empty() || kind == ItemKind::public_test) return ev.first_problem;
  for (auto& item : ev.items)
    if (!item.passed)
      return hidden_test_label(item.name, options_.show_hidden_names) +
             " failed (its details are shown after grades are published)";
  return ev.first_problem;
}

GradeItem ExerciseGrading::race_check(ExerciseResult& r, const VariantRuns& plain, InstructorBuild* tsan) {
  GradeItem race = race_item(e_);
  if (!options_.race_detector) {
    r.races = "not run";
    race.output = "the race detector was turned off for this grading run";
    return race;
  }
  if (plain.timed_out()) {
    r.races = "not run";
    race.output = "not run: the tests did not finish even without ThreadSanitizer";
    return race;
  }
  VariantPrograms programs = build(*tsan);
  if (programs.refused()) {
    refuse(r, programs);
    return race;
  }
  if (programs.host_failure) {
    r.races = "host error";
    r.host_problem = true;
    race.output = "the grading machine could not build the ThreadSanitizer programs (not the student's fault):\n" +
                  cap_text(programs.failed_log(), 2000);
    return race;
  }
  if (!programs.ok(plan_)) {
    r.races = "not run";
    race.output = "did not compile with ThreadSanitizer:\n" + explain_compile_errors(programs.failed_log(), overlay_);
    return race;
  }
  VariantRuns runs = run(programs, Variant::tsan, 1, 1);
  const TestRun &tp = runs.public_tests.run, &th = runs.hidden_tests.run;
  if (tp.host_error || th.host_error) {
    r.races = "host error";
    r.host_problem = true;
    race.output = tp.host_error ? tp.host_advice : th.host_advice;
    return race;
  }
  judge_races(r, plain, runs, race);
  return race;
}

void ExerciseGrading::judge_races(ExerciseResult& r, const VariantRuns& plain, const VariantRuns& tsan,
                                  GradeItem& race) const {
  const TestRun &tp = tsan.public_tests.run, &th = tsan.hidden_tests.run;
  r.leaks = r.leaks || tsan.leaks();
  if (race_reported(tp) || race_reported(th)) {  // the exit status counts, not only stderr
    // The two accesses are reduced to the student's own lines.
    auto races = parse_tsan_reports(tp.run.output + "\n" + th.run.output, overlay_, e_.student_files);
    r.races = "RACE";
    race.output = "ThreadSanitizer found a problem (the two conflicting accesses):\n" +
                  (races.empty() ? std::string("(report could not be reduced)\n") : describe_races(races));
    if (races.empty() && (race_text_hidden(tp) || race_text_hidden(th)))
      race.output = "ThreadSanitizer reported a race, but the program hid the report text\n";
    r.details = race.output + (r.details.empty() ? "" : "\n" + r.details);
    return;
  }
  r.races = "clean";
  if (!plain.all_passed()) {
    race.output = "no race reported, but the race-detector points need every test to pass first";
  } else if (!tsan.all_passed()) {
    const Evaluation &pe = tsan.public_tests.evaluation, &he = tsan.hidden_tests.evaluation;
    race.output = "no race reported, but under ThreadSanitizer a test failed: " +
                  (pe.all_passed ? visible_problem(he, ItemKind::hidden_test) : pe.first_problem);
  } else {
    race.passed = true;
    race.score = race.max_score;
  }
  if (r.details.empty() && r.hidden_details.empty()) {
    r.details = tidy_paths(deadlock_dump(tp.run.output), overlay_);
    if (r.details.empty()) r.hidden_details = tidy_paths(deadlock_dump(th.run.output), overlay_);
  }
}

void ExerciseGrading::decide_status(ExerciseResult& r, const VariantRuns& plain, const GradeItem& race) const {
  const Evaluation &pub = plain.public_tests.evaluation, &hid = plain.hidden_tests.evaluation;
  std::string first = pub.first_problem.empty() ? visible_problem(hid, ItemKind::hidden_test) : pub.first_problem;
  r.full_summary = pub.first_problem.empty() ? hid.first_problem : pub.first_problem;
  bool deadlocked = !deadlock_dump(plain.public_tests.run.run.output).empty() ||
                    !deadlock_dump(plain.hidden_tests.run.run.output).empty();
  if (pub.all_passed && hid.all_passed && race.passed) {
    r.status = "passed";
  } else if (plain.timed_out()) {
    r.status = "timeout";
    r.summary = "a test program did not finish in time (probable deadlock or endless loop)";
  } else if (deadlocked) {
    r.status = "deadlock";
    r.summary = "all goroutines were blocked: deadlock";
  } else if (r.races == "RACE") {
    r.status = "data race";
    auto lines = split_lines(race.output);
    r.summary = !first.empty() ? first : lines.size() > 1 ? trim(lines[1]) : race.output;
  } else if (r.leaks && pub.all_passed && hid.all_passed) {
    r.status = "leak";
    r.summary = "goroutines were still running after a test ended";
  } else if (r.host_problem) {
    r.status = "incomplete";
    r.summary = "ThreadSanitizer cannot start on this machine (host problem)";
  } else {
    r.status = "failed";
    r.summary = first.empty() ? race.output : first;
  }
  if (r.leaks && r.status == "failed" && contains(r.full_summary, "goroutine leak")) r.status = "leak";
  if (r.full_summary.empty() || r.status == "timeout" || r.status == "deadlock" || r.status == "leak")
    r.full_summary = r.summary;
}

}  // namespace grader
