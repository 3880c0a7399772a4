#include "trace.hpp"

#include <unistd.h>

#include <algorithm>

#include "diagnose.hpp"
#include "submission.hpp"
#include "symbol_check.hpp"

namespace grader {

namespace {

// A trace of every test case of a worker pool can pass the 64 MiB a graded
// run may write; the instructor asked for this one.
constexpr long kTraceFileBytes = 512L << 20;

bool has_test(const std::vector<std::string>& list, const std::string& name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (auto& n : names) out += "\n  \"" + n + "\"";
  return out;
}

// A folder removed when the trace is done, whatever happened (unless kept).
struct ScratchFolder {
  fs::path path;
  bool keep = false;
  ~ScratchFolder() {
    std::error_code ec;
    if (!keep && !path.empty()) fs::remove_all(path, ec);
  }
};

// A fresh folder the sandboxed program may write its trace into.
void make_trace_folder(const fs::path& folder, const Sandbox& sandbox) {
  fs::create_directories(folder);
  if (sandbox.enabled && sandbox.drop_privileges && running_as_root()) {
    if (chown(folder.c_str(), sandbox.uid, kNobodyId) != 0)
      throw UserError("cannot hand " + folder.string() + " to the sandbox's user");
  }
}

}  // namespace

std::vector<std::string> tests_to_trace(const TestPlan& plan, const std::vector<std::string>& wanted,
                                        const std::string& list, const std::string& exercise_id) {
  std::vector<std::string> all = plan.public_names;
  all.insert(all.end(), plan.hidden_names.begin(), plan.hidden_names.end());
  if (wanted.empty() && list == "public") return plan.public_names;
  if (wanted.empty() && list == "hidden" && plan.hidden_names.empty())
    throw UserError(exercise_id + " has no hidden tests in the instructor's tree");
  if (wanted.empty() && list == "hidden") return plan.hidden_names;
  if (wanted.empty() && !plan.one_program && plan.has_hidden)
    throw UserError(exercise_id + "'s public and hidden tests are two programs in the instructor's build, so "
                    "one run cannot hold both: pick one list with --list public or --list hidden, or name a test "
                    "with --test \"NAME\". Its tests:" + quoted_list(all));
  if (wanted.empty()) return all;
  bool any_public = false, any_hidden = false;
  for (const std::string& name : wanted) {
    if (!has_test(all, name))
      throw UserError(exercise_id + " has no test named \"" + name + "\" (give the exact name). Its tests:" +
                      quoted_list(all));
    any_public |= has_test(plan.public_names, name);
    any_hidden |= has_test(plan.hidden_names, name);
  }
  if (any_public && any_hidden && !plan.one_program)
    throw UserError(exercise_id + "'s public and hidden tests are two programs in the instructor's build: "
                    "trace tests of one of them at a time");
  return wanted;
}

const BuildOutcome& program_running(const TestPlan& plan, const VariantPrograms& programs,
                                    const std::vector<std::string>& tests) {
  if (plan.one_program || tests.empty() || has_test(plan.public_names, tests.front()))
    return programs.public_program;
  return programs.hidden_program;
}

std::string why_not_traceable(const VariantPrograms& programs, const TestPlan& plan, const fs::path& overlay) {
  if (programs.refused()) {
    const BuildOutcome& refused = programs.public_program.refused ? programs.public_program : programs.hidden_program;
    return "the grader's check of what student code may use refused it, so it is never run:\n" +
           tidy_paths(refused.log, overlay);
  }
  if (programs.host_failure)
    return "this machine could not build it (not the student's fault; try again):\n" +
           cap_text(programs.failed_log(), 4000);
  if (!programs.ok(plan))
    return "it does not compile:\n" + explain_compile_errors(programs.failed_log(), overlay);
  return "";
}

// Intake, overlay and build as grade_exercise() does them, then one run of
// the chosen test cases with GOC_TRACE in a folder the sandbox's user owns.
TracedRun Grader::trace(const fs::path& submission, const Exercise& e, const TraceRequest& request) {
  ScratchFolder work{options_.work_dir / ("trace-" + submission_name(submission) + "-" + random_token(4)),
                     options_.keep_work};
  fs::create_directories(work.path);
  fs::permissions(work.path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                 fs::perms::others_read | fs::perms::others_exec);
  SubmissionScan scan = scan_submission(unpack(submission, work.path), manifest_);
  if (!scan.has_any(e)) throw UserError(e.id + " was not submitted: " + scan.why_not_submitted(e));
  const TestPlan plan = plan_tests(e);
  TracedRun traced;
  traced.tests = tests_to_trace(plan, request.tests, request.list, e.id);

  UidLease lease(*uids_);
  Sandbox sandbox = lease.applied_to(sandbox_for(submission, work.path));
  fs::path overlay = work.path / "overlay";
  build_overlay(plain_->student_dir(), scan, e, overlay);
  SubmissionBuilder builder(work.path / "build", overlay, sandbox, options_.compile_timeout);
  if (options_.check_symbols) builder.check_symbols_with(SymbolPolicy::built_in().allowing(e.allow_symbols));
  ExerciseGrading grading(options_, e, plan, overlay, sandbox, sandbox_root_, builder);
  VariantPrograms programs = grading.build(*plain_);
  if (std::string why = why_not_traceable(programs, plan, overlay); !why.empty())
    throw UserError("cannot trace " + e.id + " of " + submission.string() + ": " + why);

  ScratchFolder trace_folder{sandbox_root_ / ("trace-" + random_token(8))};
  make_trace_folder(trace_folder.path, sandbox);
  sandbox.max_memory_bytes = options_.max_memory_plain;
  sandbox.max_file_bytes = std::max(sandbox.max_file_bytes, kTraceFileBytes);
  RunWatch watch;
  watch.variant = "plain, traced" + (request.schedule.empty() ? "" : ", GOC_SCHEDULE=" + request.schedule);
  watch.schedule = request.schedule;
  watch.trace_file = (trace_folder.path / "trace.json").string();
  traced.run = run_tests(program_running(plan, programs, traced.tests).binary, options_.timeout_plain, sandbox,
                         sandbox_root_, &traced.tests, watch);
  traced.traced = fs::is_regular_file(watch.trace_file);
  if (traced.traced) fs::copy_file(watch.trace_file, request.trace_file, fs::copy_options::overwrite_existing);
  return traced;
}

}  // namespace grader
