#include "trace_command.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "build_progress.hpp"
#include "schedules.hpp"
#include "testrun.hpp"
#include "trace.hpp"

extern char** environ;

namespace grader {

TraceTarget resolve_trace_target(const Manifest& m, const std::vector<std::string>& examples,
                                 const std::string& name) {
  std::vector<const Exercise*> chosen;
  std::string exercise_problem;
  try {
    chosen = select_exercises(m, {name});
  } catch (const UserError& e) {
    exercise_problem = e.what();
  }
  if (chosen.size() == 1) return {TraceTarget::Kind::exercise, chosen[0]->id, chosen[0]->key + "_student_public"};
  if (chosen.size() > 1) {
    std::vector<std::string> ids;
    for (auto* e : chosen) ids.push_back(e->id);
    throw UserError("'" + name + "' names " + std::to_string(ids.size()) + " exercises (" + join(ids, ", ") +
                    "); trace one of them, for example `./course trace " + ids.front() + "`");
  }
  try {
    std::string id = resolve_example(examples, name);
    return {TraceTarget::Kind::example, id, example_target(id)};
  } catch (const UserError& e) {
    throw UserError("nothing to trace is named '" + name + "': it is neither an exercise nor a lesson example.\n" +
                    exercise_problem + "\n" + e.what());
  }
}

std::string trace_command_text(const Exercise& e, const std::string& schedule) {
  std::string text = "To see what each goroutine did and waited for, draw the run as a timeline: `./course trace " +
                     e.id + (schedule.empty() ? "" : " " + replay_option(schedule)) + "`";
  if (schedule.empty()) text += " (a run of its own; with --seed N a failing seed replays exactly)";
  return text + ".\n";
}

std::string trace_written_text(const fs::path& json, const fs::path& html, const std::string& summary) {
  return summary + "\n" +
         "  timeline:  " + html.string() + "\n" +
         "             open file://" + html.string() + " in a browser; tap or hover a bar for its source line\n" +
         "  the trace: " + json.string() + "\n" +
         "             open it at https://ui.perfetto.dev (Open trace file) or in chrome://tracing\n";
}

namespace {

void configure_if_needed(const fs::path& root, const fs::path& dir, BuildProgress& progress) {
  if (fs::exists(dir / "CMakeCache.txt")) return;
  std::cerr << "Configuring " << dir.string() << " (first time only) ...\n";
  RunResult r = run_with_progress(
      {"cmake", "-S", root.string(), "-B", dir.string(), "-DCMAKE_BUILD_TYPE=Debug", "-DGOC_TSAN=OFF"}, "plain",
      progress);
  progress.finish();
  if (!r.ok()) throw UserError("configuring " + dir.string() + " failed:\n" + cap_text(r.output, 6000));
}

fs::path build_program(const StudentOptions& o, const TraceTarget& t) {
  BuildProgress progress(std::cerr, stderr_is_terminal(), terminal_width());
  configure_if_needed(o.course_root, o.build_plain, progress);
  fs::path binary = t.kind == TraceTarget::Kind::exercise
                        ? o.build_plain / "exercises" / t.target
                        : o.build_plain / "lessons" / t.id.substr(0, t.id.find('/')) / t.target;
  progress.start("plain", 0);
  RunResult b = run_with_progress({"cmake", "--build", o.build_plain.string(), "-j", std::to_string(o.jobs),
                                   "--target", t.target},
                                  "plain", progress);
  progress.finish();
  if (!b.ok()) {
    std::string what = t.kind == TraceTarget::Kind::exercise ? "your code for " + t.id + " does not compile"
                                                             : "building " + t.id + " failed";
    throw UserError(what + " (`./course check` explains compile errors):\n" + cap_text(b.output, 6000));
  }
  if (!fs::is_regular_file(binary)) throw UserError("the build made no program " + binary.string());
  return binary;
}

// The caller's environment with GOC_TRACE (and GOC_SCHEDULE when given) set.
std::vector<std::string> traced_environment(const fs::path& json, const std::string& schedule) {
  std::vector<std::string> env;
  for (char** v = environ; *v; ++v) {
    std::string var = *v;
    if (!starts_with(var, "GOC_TRACE=") && !starts_with(var, "GOC_SCHEDULE=")) env.push_back(var);
  }
  env.push_back("GOC_TRACE=" + json.string());
  if (!schedule.empty()) env.push_back("GOC_SCHEDULE=" + schedule);
  return env;
}

std::string how_it_ended(const RunResult& r, double timeout, bool tests) {
  if (r.ok()) return tests ? "the tests passed" : "it exited normally";
  return (tests ? "the tests did not pass (" : "it did not end normally (") + r.describe_end(timeout) + ")";
}

// docs/tools/trace_view.py, once Python 3 is there to run it; GOC_TRACE_VIEWER
// names another copy (for a course tree without docs/, as the grader's
// fixture course is).
fs::path timeline_drawer(const fs::path& course_root) {
  const char* other = std::getenv("GOC_TRACE_VIEWER");
  fs::path viewer = other && *other ? fs::path(other) : course_root / "docs" / "tools" / "trace_view.py";
  if (!fs::is_regular_file(viewer))
    throw UserError("the timeline drawer " + viewer.string() + " is missing" +
                    (other && *other ? " (GOC_TRACE_VIEWER names it)" : ""));
  if (!have_program("python3"))
    throw UserError("drawing the timeline needs Python 3: install it (`sudo apt-get install python3`), then run "
                    "this command again");
  return viewer;
}

// Draws `json` as `html`; returns the drawer's count of what it drew
// ("4 goroutines, 3 arrows").
std::string draw_timeline(const fs::path& viewer, const fs::path& json, const fs::path& html,
                          const std::string& title) {
  RunOptions draw;
  draw.argv = {"python3", "-B", viewer.string(), json.string(), "-o", html.string(), "--title", title};
  draw.timeout_seconds = 120;
  RunResult drawn = run(draw);
  if (!drawn.ok()) throw UserError("drawing the timeline failed:\n" + cap_text(drawn.output, 4000));
  return trim(drawn.output.substr(drawn.output.rfind(": ") + 2));
}

}  // namespace

int cmd_trace(const StudentOptions& o, const std::string& name, const fs::path& out_arg) {
  if (name.empty())
    throw UserError("name the exercise or lesson example to trace, for example `./course trace "
                    "05-worker-pool/01-worker-pool` or `./course trace 02-channels/01-unbuffered-rendezvous`");
  Manifest m = load_manifest(o.course_root / "exercises" / "manifest.toml");
  TraceTarget t = resolve_trace_target(m, lesson_examples(o.course_root), name);
  fs::path viewer = timeline_drawer(o.course_root);

  fs::path binary = build_program(o, t);
  fs::path out = fs::absolute(out_arg.empty() ? o.course_root / "build" / "traces" / replace_all(t.id, "/", "_")
                                              : out_arg);
  fs::create_directories(out);
  fs::path json = out / "trace.json", html = out / "trace.html";
  fs::remove(json);

  bool tests = t.kind == TraceTarget::Kind::exercise;
  std::cerr << "== tracing " << t.id << (tests ? " (its public tests, your code)" : "")
            << (o.schedule.empty() ? "" : ", GOC_SCHEDULE=" + o.schedule) << " ==\n";
  RunOptions r;
  r.argv = {binary.string()};
  r.cwd = out;
  r.env = traced_environment(json, o.schedule);
  r.timeout_seconds = o.timeout;
  r.quit_signal = kDumpSignal;
  r.quit_grace_seconds = kDumpGraceSeconds;
  RunResult ran = run(r);
  write_file(out / "output.txt", ran.output);
  if (!fs::is_regular_file(json))
    throw UserError("the program wrote no trace to " + json.string() + " (" + how_it_ended(ran, o.timeout, tests) +
                    "). Its output:\n" + cap_text(ran.output, 4000));

  std::string drawn = draw_timeline(viewer, json, html,
                                    "goc trace: " + t.id + (o.schedule.empty() ? "" : " (" + o.schedule + ")"));
  std::cout << trace_written_text(json, html,
                                  "Traced " + t.id + ": " + how_it_ended(ran, o.timeout, tests) + " (its output: " +
                                      (out / "output.txt").string() + "); " + drawn + ".");
  return 0;
}

namespace {

// The one exercise `name` names (a submission trace is of one exercise).
std::string one_exercise_id(const fs::path& course_root, const std::string& name) {
  if (name.empty())
    throw UserError("name the exercise to trace, for example `./course trace 01-goroutines/01-wait-dont-sleep "
                    "--submission PATH`");
  Manifest m = load_manifest(course_root / "exercises" / "manifest.toml");
  std::vector<const Exercise*> chosen = select_exercises(m, {name});
  if (chosen.size() == 1) return chosen.front()->id;
  std::vector<std::string> ids;
  for (auto* e : chosen) ids.push_back(e->id);
  throw UserError("'" + name + "' names " + std::to_string(ids.size()) + " exercises (" + join(ids, ", ") +
                  "); a submission is traced one exercise at a time, for example `./course trace " + ids.front() +
                  " --submission PATH`");
}

// Grading's options for building and running exercise `id` of one submission.
GradeOptions trace_grade_options(const StudentOptions& o, const SubmissionTraceOptions& s, const std::string& id,
                                 const fs::path& out) {
  GradeOptions g;
  g.course_root = o.course_root;
  g.cache_dir = s.cache.empty() ? o.course_root / "build" / "grader-cache" : s.cache;
  g.work_dir = s.work.empty() ? o.course_root / "build" / "grader-work" : s.work;
  g.compiler = s.compiler;
  g.only = {id};
  g.timeout_plain = o.timeout;
  g.race_detector = false;  // a trace is a plain run: no ThreadSanitizer cache to build
  g.jobs = std::max(1, o.jobs);
  g.keep_work = s.keep_work;
  g.unsafe_no_sandbox = s.unsafe_no_sandbox;
  g.sandbox.enabled = true;
  // Other submissions' traces hold their hidden tests' output.
  g.also_hidden = {o.course_root / "build" / "traces", out.parent_path()};
  return g;
}

// "the tests passed", or how the program ended and which test cases failed.
std::string tests_outcome(const TestRun& t, double timeout) {
  if (t.run.ok()) return "the tests passed";
  std::vector<std::string> failed;
  for (const CaseResult& c : t.report.cases)
    if (!c.passed) failed.push_back("\"" + c.name + "\"");
  std::string ended = "the tests did not pass (" + t.run.describe_end(timeout) + ")";
  if (!failed.empty()) return ended + "; failed: " + join(failed, ", ");
  std::string why = trim(split_lines(why_unfinished(t, timeout, {}) + "\n").front());  // "deadlock detected ...:"
  if (ends_with(why, ":")) why.pop_back();
  return ended + ": " + why;
}

std::string tests_named(const std::vector<std::string>& tests, const SubmissionTraceOptions& s) {
  if (s.tests.empty() && !s.list.empty()) return "its " + s.list + " tests (" + std::to_string(tests.size()) + ")";
  if (s.tests.empty()) return "all " + std::to_string(tests.size()) + " of its tests, public and hidden";
  return tests.size() == 1 ? "\"" + tests.front() + "\"" : std::to_string(tests.size()) + " tests";
}

}  // namespace

int cmd_trace_submission(const StudentOptions& o, const std::string& name, const SubmissionTraceOptions& s,
                         const fs::path& out_arg) {
  std::string id = one_exercise_id(o.course_root, name);
  fs::path viewer = timeline_drawer(o.course_root);
  fs::path submission = fs::absolute(s.submission).lexically_normal();
  if (!fs::exists(submission)) throw UserError("no submission at " + submission.string());
  fs::path out = fs::absolute(out_arg.empty() ? o.course_root / "build" / "traces" / submission_name(submission) /
                                                    replace_all(id, "/", "_")
                                              : out_arg);
  fs::create_directories(out);
  fs::path json = out / "trace.json", html = out / "trace.html";
  fs::remove(json);

  Grader grader(trace_grade_options(o, s, id, out));
  grader.prepare();
  const Exercise& e = *grader.exercises().front();
  std::cerr << "== tracing " << id << " of " << submission.string()
            << (o.schedule.empty() ? "" : ", GOC_SCHEDULE=" + o.schedule) << " ==\n";
  TracedRun t = grader.trace(submission, e, TraceRequest{s.tests, s.list, o.schedule, json});
  write_file(out / "output.txt", t.run.run.output);
  std::string outcome = tests_outcome(t.run, o.timeout);
  if (!t.traced)
    throw UserError("the test program wrote no trace (" + outcome + "). Its output:\n" +
                    cap_text(t.run.run.output, 4000));
  std::string drawn = draw_timeline(viewer, json, html,
                                    "goc trace: " + id + " of " + submission_name(submission) +
                                        (o.schedule.empty() ? "" : " (" + o.schedule + ")"));
  std::cout << trace_written_text(json, html,
                                  "Traced " + id + " of " + submission.string() + ", " + tests_named(t.tests, s) +
                                      ": " + outcome + " (its output: " + (out / "output.txt").string() + "); " +
                                      drawn + ".");
  return 0;
}

}  // namespace grader
