#include "grade.hpp"

#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <future>
#include <iostream>
#include <thread>

#include "archive.hpp"
#include "diagnose.hpp"
#include "submission.hpp"
#include "testrun.hpp"

namespace grader {

double ExerciseResult::score() const {
  double s = 0;
  for (auto& i : items) s += i.score;
  return s;
}
double ExerciseResult::max_score() const {
  double s = 0;
  for (auto& i : items) s += i.max_score;
  return s;
}
double SubmissionResult::score() const {
  double s = 0;
  for (auto& e : exercises) s += e.score();
  return s;
}
double SubmissionResult::max_score() const {
  double s = 0;
  for (auto& e : exercises) s += e.max_score();
  return s;
}

std::string submission_name(const fs::path& submission) {
  std::string name = fs::path(submission).lexically_normal().filename().string();
  if (name.empty()) name = fs::path(submission).lexically_normal().parent_path().filename().string();
  for (std::string ext : {".tar.gz", ".tgz", ".zip", ".tar"})
    if (ends_with(name, ext)) return name.substr(0, name.size() - ext.size());
  return name;
}

bool nobody_can_read(const fs::path& path) {
  if (!running_as_root()) return true;
  pid_t pid = fork();
  if (pid == 0) {
    if (setgid(kNobodyId) != 0 || setuid(kNobodyId) != 0) _exit(2);
    _exit(access(path.c_str(), R_OK) == 0 ? 0 : 1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

namespace {

GradeItem race_item(const Exercise& e) {
  GradeItem item;
  item.name = "race detector: public and hidden tests under ThreadSanitizer";
  item.kind = ItemKind::race;
  item.max_score = e.points.race;
  return item;
}

}  // namespace

unsigned UidPool::acquire() {
  std::lock_guard guard(mutex_);
  if (busy_.insert(kNobodyId).second) return kNobodyId;
  for (unsigned uid = kSlotUidBase;; ++uid)
    if (!busy_.count(uid) && getpwuid(uid) == nullptr) {
      busy_.insert(uid);
      return uid;
    }
}

void UidPool::release(unsigned uid) {
  std::lock_guard guard(mutex_);
  busy_.erase(uid);
}

Grader::Grader(GradeOptions options) : options_(std::move(options)) {}

Grader::~Grader() {
  std::error_code ec;
  if (!sandbox_root_.empty()) fs::remove_all(sandbox_root_, ec);
}

void Grader::prepare() {
  options_.course_root = fs::absolute(options_.course_root).lexically_normal();
  manifest_ = load_manifest(options_.course_root / "exercises" / "manifest.toml");
  selected_ = select_exercises(manifest_, options_.only);
  plain_ = std::make_unique<InstructorBuild>(options_.course_root, options_.cache_dir / "plain", Variant::plain);
  bool all = selected_.size() == manifest_.exercises.size();
  // The two caches build at the same time: each has stretches that keep only
  // one core busy (configuring, the make pass's dependency scan, the last
  // links), and the other fills them.
  std::future<void> tsan_ready;
  if (options_.race_detector) {
    tsan_ = std::make_unique<InstructorBuild>(options_.course_root, options_.cache_dir / "tsan", Variant::tsan);
    tsan_ready = std::async(std::launch::async,
                            [this, all] { tsan_->prepare(selected_, all, options_.jobs, options_.quiet); });
  }
  plain_->prepare(selected_, all, options_.jobs, options_.quiet);
  if (tsan_ready.valid()) tsan_ready.get();  // rethrows what the tsan side threw
  // Student code gets a scratch folder of its own under /tmp.
  char tmpl[] = "/tmp/goc-grader-XXXXXX";
  if (!mkdtemp(tmpl)) throw UserError("cannot create a scratch folder in /tmp");
  sandbox_root_ = tmpl;
  fs::permissions(sandbox_root_, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
  fs::create_directories(options_.work_dir);
  options_.work_dir = fs::absolute(options_.work_dir).lexically_normal();
  if (options_.sandbox.enabled && options_.sandbox.drop_privileges && running_as_root()) {
    fs::path probe = options_.cache_dir / "plain" / "CMakeCache.txt";
    if (!nobody_can_read(probe) || !nobody_can_read(options_.work_dir)) {
      std::cerr << "warning: the user 'nobody' cannot read " << options_.cache_dir.string() << " or "
                << options_.work_dir.string()
                << ", so student code will run as root (without the thread limit). Keep the course "
                   "in a folder others can read to grade with dropped privileges.\n";
      options_.sandbox.drop_privileges = false;
    }
  }
}

SubmissionResult Grader::grade(const fs::path& submission, const std::string& name,
                               const std::vector<std::string>& only) {
  double start = now_seconds();
  std::vector<const Exercise*> selected = selected_;
  if (!only.empty()) {
    auto narrowed = select_exercises(manifest_, only);
    selected.clear();
    for (auto* e : narrowed)
      if (std::find(selected_.begin(), selected_.end(), e) != selected_.end()) selected.push_back(e);
  }
  SubmissionResult result;
  result.name = name;
  result.source = submission;
  fs::path work = options_.work_dir / (name + "-" + random_token(4));
  fs::remove_all(work);
  fs::create_directories(work);
  fs::permissions(work, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                            fs::perms::others_read | fs::perms::others_exec);
  auto not_graded = [&](const std::string& why) {
    for (auto* e : selected) {
      ExerciseResult r;
      r.exercise = e;
      r.status = "not graded";
      r.summary = why;
      for (auto kind : {ItemKind::public_test, ItemKind::hidden_test}) {
        GradeItem item;
        item.kind = kind;
        item.name = kind == ItemKind::public_test ? "public tests" : "hidden tests";
        item.max_score = kind == ItemKind::public_test ? e->points.public_tests : e->points.hidden_tests;
        item.output = why;
        r.items.push_back(item);
      }
      auto race = race_item(*e);
      race.output = why;
      r.items.push_back(race);
      result.exercises.push_back(std::move(r));
    }
  };
  fs::path folder = submission;
  try {
    if (!fs::exists(submission)) throw UserError(submission.string() + " does not exist");
    if (fs::is_regular_file(submission)) {
      if (!is_archive(submission))
        throw UserError(submission.filename().string() + " is neither a folder nor a .zip/.tar.gz archive");
      folder = work / "unpacked";
      UidLease lease(uids_);
      extract_archive(submission, folder, lease.applied_to(options_.sandbox));
    }
  } catch (const std::exception& e) {
    result.rejected = e.what();
    not_graded(result.rejected);
    result.seconds = now_seconds() - start;
    if (!options_.keep_work) fs::remove_all(work);
    return result;
  }
  SubmissionScan scan = scan_submission(folder, manifest_);
  result.ignored = scan.ignored;
  result.ignored_total = scan.ignored_total;
  fs::path overlay = work / "overlay";
  fs::create_directories(overlay);
  result.exercises.resize(selected.size());
  std::atomic<std::size_t> next{0};
  int workers = std::max(1, std::min<int>(options_.exercise_jobs, static_cast<int>(selected.size())));
  auto worker = [&] {
    for (std::size_t i = next++; i < selected.size(); i = next++) {
      const Exercise& e = *selected[i];
      try {
        // Each exercise graded at once runs its code as a uid of its own.
        UidLease lease(uids_);
        result.exercises[i] = grade_exercise(e, scan, overlay, work, lease.applied_to(options_.sandbox));
      } catch (const std::exception& ex) {
        ExerciseResult r;
        r.exercise = &e;
        r.status = "grader error";
        r.summary = std::string("the grader failed on this exercise: ") + ex.what();
        result.exercises[i] = std::move(r);
      }
    }
  };
  std::vector<std::thread> threads;
  for (int w = 1; w < workers; ++w) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  for (auto& e : result.exercises) result.host_problem |= e.host_problem;
  if (!options_.keep_work) {
    std::error_code ec;
    fs::remove_all(work, ec);
  }
  result.seconds = now_seconds() - start;
  return result;
}

// Where the instructor's tree has it, one program holds both test sources:
// a submission then links one program per variant instead of two, and each
// run selects its list of test cases. The lists come from the skeleton's
// program by source file (checked once: each list selects exactly itself).
// Otherwise the public and hidden programs, built from the skeleton when first
// needed.
Grader::TestPlan Grader::plan_tests(const Exercise& e) {
  TestPlan plan;
  plan.public_target = e.key + "_student_public";
  plan.hidden_target = e.key + "_student_hidden";
  plan.both_target = e.key + "_student_tests";
  std::string error;
  if (plain_->has_target(plan.both_target)) {
    plan.public_names = plain_->test_names(plan.both_target, error, "[#public_test]");
    plan.hidden_names = plain_->test_names(plan.both_target, error, "[#hidden_test]");
    plan.one_program = !plan.public_names.empty() && !plan.hidden_names.empty() &&
                       plain_->selects_exactly(plan.both_target, {plan.public_names, plan.hidden_names});
    if (plan.one_program) {
      plan.has_hidden = true;
      return plan;
    }
    std::lock_guard guard(warned_mutex_);
    if (warned_.insert(e.key).second)
      std::cerr << "note: " << e.id << " is graded with two programs per variant (slower): the "
                << "instructor build's " << plan.both_target << " cannot be used. Its public and hidden "
                << "tests must compile as one translation unit (no helper defined in both) and "
                << "name their test cases apart. See exercises/FRAMEWORK.md.\n";
  }
  plan.has_hidden = plain_->has_target(plan.hidden_target);
  std::vector<std::string> programs = {plan.public_target};
  if (plan.has_hidden) programs.push_back(plan.hidden_target);
  std::string build_error;
  plain_->ensure_built(programs, build_error);
  if (tsan_) tsan_->ensure_built(programs, build_error);
  auto names_of = [&](const std::string& target) {
    auto names = plain_->test_names(target, error);
    if (names.empty())
      throw UserError("instructor build: " + error + (build_error.empty() ? "" : "\n" + build_error));
    return names;
  };
  plan.public_names = names_of(plan.public_target);
  plan.hidden_names = plan.has_hidden ? names_of(plan.hidden_target) : std::vector<std::string>{};
  return plan;
}

ExerciseResult Grader::grade_exercise(const Exercise& e, const SubmissionScan& scan, const fs::path& overlay,
                                      const fs::path& work, const Sandbox& sandbox) {
  ExerciseResult r;
  r.exercise = &e;
  const TestPlan plan = plan_tests(e);
  const std::string &public_target = plan.public_target, &hidden_target = plan.hidden_target,
                    &both_target = plan.both_target;
  const std::vector<std::string> &public_names = plan.public_names, &hidden_names = plan.hidden_names;
  const bool has_hidden = plan.has_hidden, one_program = plan.one_program;
  if (!has_hidden && e.points.hidden_tests > 0)
    r.notes.push_back("this exercise has no hidden tests in the instructor's tree: its hidden points are not counted");
  r.public_total = static_cast<int>(public_names.size());
  r.hidden_total = static_cast<int>(hidden_names.size());

  auto zero_items = [&](const std::string& why) {
    for (auto& n : public_names) {
      GradeItem i{n, ItemKind::public_test, 0, e.points.public_tests / public_names.size(), false, why, 0};
      r.items.push_back(i);
    }
    for (auto& n : hidden_names) {
      GradeItem i{n, ItemKind::hidden_test, 0, e.points.hidden_tests / hidden_names.size(), false, why, 0};
      r.items.push_back(i);
    }
    auto race = race_item(e);
    race.output = why;
    r.items.push_back(race);
  };

  if (!scan.has_any(e)) {
    r.status = "not submitted";
    r.summary = "none of " + join(e.student_files, ", ") + " was in the submission";
    zero_items("not submitted");
    return r;
  }
  for (auto& note : build_overlay(plain_->student_dir(), scan, e, overlay)) r.notes.push_back(note);

  SubmissionBuilder builder(work / "build", overlay, sandbox, options_.compile_timeout);
  if (options_.check_symbols) builder.check_symbols_with(SymbolPolicy::built_in().allowing(e.allow_symbols));
  // A refused student file costs the whole exercise, in either variant.
  auto refuse = [&](const BuildOutcome& a, const BuildOutcome& b) {
    r.status = "refused";
    r.details = tidy_paths(a.refused ? a.log : b.log, overlay);
    r.summary = split_lines(r.details).size() > 1 ? trim(split_lines(r.details)[1].substr(1)) : r.details;
    r.items.clear();
    r.public_passed = r.hidden_passed = 0;
    r.races = "-";
    r.leaks = false;
    zero_items("refused before linking: " + r.summary);
    return r;
  };
  auto build = [&](InstructorBuild& ib, const std::string& target) {
    std::string why;
    auto recipe = ib.recipe(e, target, why);
    if (!recipe) throw UserError("cannot reuse the instructor build: " + why);
    return builder.build(e, target, *recipe, ib.variant());
  };

  const std::vector<std::string>* public_only = one_program ? &public_names : nullptr;
  const std::vector<std::string>* hidden_only = one_program ? &hidden_names : nullptr;
  // The public and hidden programs of one variant (the same one, or two).
  auto build_programs = [&](InstructorBuild& ib) {
    std::pair<BuildOutcome, BuildOutcome> programs;
    if (one_program) {
      programs.first = programs.second = build(ib, both_target);
    } else {
      programs.first = build(ib, public_target);
      if (programs.first.ok && has_hidden) programs.second = build(ib, hidden_target);
    }
    return programs;
  };

  auto [plain_public, plain_hidden] = build_programs(*plain_);
  if (plain_public.refused || plain_hidden.refused) return refuse(plain_public, plain_hidden);
  if (!plain_public.ok || (has_hidden && !plain_hidden.ok)) {
    const std::string& log = plain_public.ok ? plain_hidden.log : plain_public.log;
    r.status = "compile error";
    r.details = explain_compile_errors(log, overlay);
    auto first = split_lines(r.details + "\n").front();
    r.summary = first;
    zero_items("did not compile:\n" + r.details);
    return r;
  }

  TestRun public_run =
      run_tests(plain_public.binary, options_.timeout_plain, sandbox, sandbox_root_, public_only);
  Evaluation pub = evaluate(public_names, public_run, ItemKind::public_test, e.points.public_tests,
                            options_.timeout_plain, overlay);
  TestRun hidden_run;
  Evaluation hid;
  if (has_hidden) {
    hidden_run =
        run_tests(plain_hidden.binary, options_.timeout_plain, sandbox, sandbox_root_, hidden_only);
    hid = evaluate(hidden_names, hidden_run, ItemKind::hidden_test, e.points.hidden_tests,
                   options_.timeout_plain, overlay);
  }
  r.public_passed = pub.passed;
  r.hidden_passed = hid.passed;
  r.leaks = pub.leaks || hid.leaks;
  for (auto& i : pub.items) r.items.push_back(i);
  for (auto& i : hid.items) r.items.push_back(i);
  bool timed_out = public_run.run.timed_out || hidden_run.run.timed_out;
  std::string dump = deadlock_dump(public_run.run.output);
  if (dump.empty()) dump = deadlock_dump(hidden_run.run.output);
  if (!dump.empty()) r.details = tidy_paths(dump, overlay);

  GradeItem race = race_item(e);
  if (!options_.race_detector) {
    r.races = "not run";
    race.output = "the race detector was turned off for this grading run";
  } else if (timed_out) {
    r.races = "not run";
    race.output = "not run: the tests did not finish even without ThreadSanitizer";
  } else {
    auto [tsan_public, tsan_hidden] = build_programs(*tsan_);
    if (tsan_public.refused || tsan_hidden.refused) return refuse(tsan_public, tsan_hidden);
    if (!tsan_public.ok || (has_hidden && !tsan_hidden.ok)) {
      r.races = "not run";
      race.output = "did not compile with ThreadSanitizer:\n" +
                    explain_compile_errors(tsan_public.ok ? tsan_hidden.log : tsan_public.log, overlay);
    } else {
      TestRun tp = run_tests(tsan_public.binary, options_.timeout_tsan, sandbox, sandbox_root_, public_only);
      TestRun th;
      if (has_hidden)
        th = run_tests(tsan_hidden.binary, options_.timeout_tsan, sandbox, sandbox_root_, hidden_only);
      if (tp.host_error || th.host_error) {
        r.races = "host error";
        r.host_problem = true;
        race.output = tp.host_error ? tp.host_advice : th.host_advice;
      } else {
        auto races = parse_tsan_reports(tp.run.output + "\n" + th.run.output, overlay, e.student_files);
        bool warned = has_tsan_warning(tp.run.output) || has_tsan_warning(th.run.output);
        Evaluation tpe = evaluate(public_names, tp, ItemKind::public_test, 1, options_.timeout_tsan, overlay);
        Evaluation the = evaluate(hidden_names, th, ItemKind::hidden_test, 1, options_.timeout_tsan, overlay);
        r.leaks = r.leaks || tpe.leaks || the.leaks;
        if (warned) {
          r.races = "RACE";
          race.output = "ThreadSanitizer found a problem (the two conflicting accesses):\n" +
                        (races.empty() ? std::string("(report could not be reduced)\n") : describe_races(races));
        } else {
          r.races = "clean";
          if (!pub.all_passed || !hid.all_passed) {
            race.output = "no race reported, but the race-detector points need every test to pass first";
          } else if (!tpe.all_passed || !the.all_passed) {
            race.output = "no race reported, but under ThreadSanitizer a test failed: " +
                          (tpe.first_problem.empty() ? the.first_problem : tpe.first_problem);
          } else {
            race.passed = true;
            race.score = race.max_score;
          }
        }
        if (r.details.empty()) {
          std::string d = deadlock_dump(tp.run.output);
          if (d.empty()) d = deadlock_dump(th.run.output);
          r.details = tidy_paths(d, overlay);
        }
        if (r.races == "RACE") r.details = race.output + (r.details.empty() ? "" : "\n" + r.details);
      }
    }
  }
  r.items.push_back(race);

  // The status word and the one-line summary.
  bool all = pub.all_passed && hid.all_passed && race.passed;
  std::string first = pub.first_problem.empty() ? hid.first_problem : pub.first_problem;
  if (all) {
    r.status = "passed";
  } else if (timed_out) {
    r.status = "timeout";
    r.summary = "a test program did not finish in time (probable deadlock or endless loop)";
  } else if (!dump.empty()) {
    r.status = "deadlock";
    r.summary = "all goroutines were blocked: deadlock";
  } else if (r.races == "RACE") {
    r.status = "data race";
    r.summary = split_lines(race.output).size() > 1 ? trim(split_lines(race.output)[1]) : race.output;
    if (!first.empty()) r.summary = first;
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
  if (r.leaks && r.status == "failed" && contains(first, "goroutine leak")) r.status = "leak";
  return r;
}

}  // namespace grader
