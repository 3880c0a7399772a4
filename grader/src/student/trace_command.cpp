#include "trace_command.hpp"

#include <unistd.h>

#include <iostream>

#include "build_progress.hpp"
#include "testrun.hpp"

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

namespace {

std::string schedule_flag(const std::string& schedule) {
  if (schedule.empty()) return "";
  return starts_with(schedule, "random:") ? " --seed " + schedule.substr(7) : " --schedule " + schedule;
}

}  // namespace

std::string trace_command_text(const Exercise& e, const std::string& schedule) {
  std::string text = "To see what each goroutine did and waited for, draw the run as a timeline: `./course trace " +
                     e.id + schedule_flag(schedule) + "`";
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

}  // namespace

int cmd_trace(const StudentOptions& o, const std::string& name, const fs::path& out_arg) {
  if (name.empty())
    throw UserError("name the exercise or lesson example to trace, for example `./course trace "
                    "05-worker-pool/01-worker-pool` or `./course trace 02-channels/01-unbuffered-rendezvous`");
  Manifest m = load_manifest(o.course_root / "exercises" / "manifest.toml");
  TraceTarget t = resolve_trace_target(m, lesson_examples(o.course_root), name);
  fs::path viewer = o.course_root / "docs" / "tools" / "trace_view.py";
  if (!fs::is_regular_file(viewer)) throw UserError("the timeline drawer " + viewer.string() + " is missing");
  if (!have_program("python3"))
    throw UserError("drawing the timeline needs Python 3: install it (`sudo apt-get install python3`), then run "
                    "this command again");

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

  RunOptions draw;
  draw.argv = {"python3", "-B", viewer.string(), json.string(), "-o", html.string(), "--title",
               "goc trace: " + t.id + (o.schedule.empty() ? "" : " (" + o.schedule + ")")};
  draw.timeout_seconds = 120;
  RunResult drawn = run(draw);
  if (!drawn.ok()) throw UserError("drawing the timeline failed:\n" + cap_text(drawn.output, 4000));
  std::cout << trace_written_text(json, html,
                                  "Traced " + t.id + ": " + how_it_ended(ran, o.timeout, tests) + " (its output: " +
                                      (out / "output.txt").string() + "); " +
                                      trim(drawn.output.substr(drawn.output.rfind(": ") + 2)) + ".");
  return 0;
}

}  // namespace grader
