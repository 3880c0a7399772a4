#include "student.hpp"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "build_progress.hpp"
#include "builder.hpp"
#include "data_file.hpp"
#include "diagnose.hpp"
#include "names.hpp"
#include "schedules.hpp"
#include "testrun.hpp"
#include "trace_command.hpp"

namespace grader {

namespace {

// ---------------------------------------------------------------------------
// Progress: which exercises passed and how many hints were shown, in a
// git-ignored file at the course root.
struct Progress {
  fs::path file;
  std::map<std::string, bool> done;
  std::map<std::string, int> hints;

  static Progress load(const fs::path& root) {
    require_toml("Progress (.course-progress.toml)");
    Progress p;
    p.file = root / ".course-progress.toml";
    if (!fs::exists(p.file)) return p;
    try {
      nlohmann::json t = parse_data_text(read_file(p.file), p.file.string());
      if (auto ex = t.find("exercise"); ex != t.end() && ex->is_object())
        for (auto& [id, row] : ex->items()) {
          if (!row.is_object()) continue;
          p.done[id] = row.value("done", false);
          p.hints[id] = row.value("hints", 0);
        }
    } catch (const std::exception&) {
      std::cerr << "warning: " << p.file.string() << " is unreadable; starting progress afresh\n";
    }
    return p;
  }

  void save() const {
    nlohmann::json exercises = nlohmann::json::object();
    for (auto& [id, d] : done) exercises[id]["done"] = d;
    for (auto& [id, h] : hints) exercises[id]["hints"] = h;
    for (auto& [id, row] : exercises.items()) {
      if (!row.contains("done")) row["done"] = false;
      if (!row.contains("hints")) row["hints"] = 0;
    }
    std::string text = to_toml_text({{"exercise", exercises}});
    write_file(file, "# Your progress through the exercises (kept out of git). Delete it to start over.\n" +
                         text + "\n");
  }

  bool is_done(const std::string& id) const { return done.count(id) && done.at(id); }
};

const Exercise* current_exercise(const Manifest& m, const Progress& p) {
  for (auto& e : m.exercises)
    if (!p.is_done(e.id)) return &e;
  return nullptr;
}

const Exercise& find_exercise(const Manifest& m, const Progress& p, const std::string& name) {
  if (name.empty()) {
    if (auto* e = current_exercise(m, p)) return *e;
    throw UserError("every exercise is done; name one");
  }
  auto chosen = select_exercises(m, {name});
  if (chosen.size() != 1) {
    std::vector<std::string> ids;
    for (auto* e : chosen) ids.push_back(e->id);
    throw UserError("'" + name + "' names " + std::to_string(chosen.size()) + " exercises (" + join(ids, ", ") +
                    "); name one of them (`./course list` shows them all)");
  }
  return *chosen[0];
}

// ---------------------------------------------------------------------------
// Building in the student's own build folders, showing how far along it is.

void ensure_configured(const fs::path& root, const fs::path& dir, Variant v, BuildProgress& progress) {
  if (fs::exists(dir / "CMakeCache.txt")) return;
  std::cerr << "Configuring " << dir.string() << " (first time only) ...\n";
  RunResult r = run_with_progress({"cmake", "-S", root.string(), "-B", dir.string(), "-DCMAKE_BUILD_TYPE=Debug",
                                   std::string("-DGOC_TSAN=") + (v == Variant::tsan ? "ON" : "OFF")},
                                  variant_name(v), progress);
  progress.finish();
  if (!r.ok()) throw UserError("configuring " + dir.string() + " failed:\n" + cap_text(r.output, 6000));
}

std::vector<std::string> build_command(const fs::path& dir, const std::vector<std::string>& targets, int jobs) {
  std::vector<std::string> argv = {"cmake", "--build", dir.string(), "-j", std::to_string(std::max(1, jobs)),
                                   "--target"};
  argv.insert(argv.end(), targets.begin(), targets.end());
  argv.push_back("--");
  return argv;
}

// How many files the build will compile and link, from a dry run (a third
// of a second): the bar's 100%. 0 when the dry run says nothing.
int count_build_steps(const fs::path& dir, const std::vector<std::string>& targets) {
  RunOptions o;
  o.argv = build_command(dir, targets, 1);
  o.argv.push_back("-n");
  o.argv.push_back("-k");  // make's dry run stops at an object of another target not built yet
  o.timeout_seconds = 120;
  o.output_cap = 8 << 20;
  return dry_run_steps(run(o).output);
}

// A dry run counts the steps for the bar when a program was never built (the
// long first build); a rebuild is a file or two, not worth the dry run.
bool never_built(const fs::path& dir, const std::vector<std::string>& exercise_targets) {
  return std::any_of(exercise_targets.begin(), exercise_targets.end(),
                     [&](const std::string& t) { return !fs::exists(dir / "exercises" / t); });
}

// `count_steps`: count the steps with a dry run first, for the bar's 100%.
RunResult build_targets(const fs::path& dir, const std::vector<std::string>& targets, int jobs, bool keep_going,
                        Variant v, BuildProgress& progress, bool count_steps) {
  progress.start(variant_name(v), count_steps ? count_build_steps(dir, targets) : 0);
  std::vector<std::string> argv = build_command(dir, targets, jobs);
  if (keep_going) argv.push_back("-k");
  else argv.pop_back();  // no "--"
  return run_with_progress(argv, variant_name(v), progress);
}

fs::path target_binary(const fs::path& dir, const std::string& target) {
  // Executables sit in the binary folder of the directory that defines them:
  // exercises/ for the course's exercises.
  if (fs::is_regular_file(dir / "exercises" / target)) return dir / "exercises" / target;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
    if (it->is_directory() && it->path().filename() == "CMakeFiles") {
      it.disable_recursion_pending();
      continue;
    }
    if (it->path().filename() == target && it->is_regular_file()) return it->path();
  }
  return {};
}

struct Check {
  const Exercise* exercise = nullptr;
  bool compiled = false;
  std::string compile_errors;
  int passed = 0, total = 0;
  std::string races = "-";     ///< clean, RACE, not run, host error
  std::string schedules = "-";  ///< schedules_cell(), or the one schedule of --seed/--schedule
  bool leaks = false;
  bool ok = false;
  std::string explanation;    ///< what went wrong, for the student
};

struct VariantRun {
  bool built = false;
  fs::path binary;
  std::string build_log;
  TestRun run;
  std::vector<std::string> names;
  std::string list_error;
};

struct Building {
  BuildProgress& progress;
  bool count_steps;  ///< false when everything was built just before (then a dry run is wasted)
};

// "still running: ..." every 10 s, from the plain and the race-detector run at once.
void say_progress(const std::string& line) {
  static std::mutex mu;
  std::lock_guard lock(mu);
  std::cerr << line << "\n";
}

// Test programs run as the student, in a scratch folder, with the time limit.
Sandbox student_sandbox() {
  Sandbox sandbox;
  sandbox.enabled = true;
  sandbox.isolate = false;
  sandbox.drop_privileges = false;
  sandbox.max_threads = 0;  // the student's own account: other programs count too
  return sandbox;
}

// `cancel`: set once this run's result is no longer wanted (the plain run hung).
VariantRun build_and_run(const StudentOptions& o, const Exercise& e, Variant v, const fs::path& scratch,
                         Building building, const std::atomic<bool>* cancel = nullptr) {
  VariantRun vr;
  fs::path dir = v == Variant::plain ? o.build_plain : o.build_tsan;
  std::string target = e.key + "_student_public";
  RunResult b = build_targets(dir, {target}, 1, false, v, building.progress,
                              building.count_steps && never_built(dir, {target}));
  vr.build_log = b.output;
  if (!b.ok()) return vr;
  fs::path binary = target_binary(dir, target);
  if (binary.empty()) {
    vr.build_log += "\n(no program " + target + " was built)";
    return vr;
  }
  vr.built = true;
  vr.binary = binary;
  vr.names = list_test_cases(binary, scratch, vr.list_error);
  RunWatch watch{v == Variant::plain ? "plain" : "ThreadSanitizer", e.id + " public tests", say_progress, 10, cancel,
                 o.schedule, ""};
  vr.run = run_tests(binary, v == Variant::plain ? o.timeout : o.tsan_timeout, student_sandbox(), scratch, nullptr,
                     watch);
  return vr;
}


// The race detector's verdict: the Races cell, what it adds to `text`, and
// its test results folded into `ev`.
void judge_race_run(const StudentOptions& o, const Exercise& e, const VariantRun& tsan, Evaluation& ev, Check& c,
                    std::string& text) {
  fs::path student_dir = o.course_root / "exercises";
  if (!tsan.built) {
    c.races = "not run";
  } else if (tsan.run.run.cancelled && !race_reported(tsan.run)) {
    c.races = "not run";  // the plain run's time-limit message says why
  } else if (tsan.run.host_error) {
    c.races = "host error";
    text += tsan.run.host_advice + "\n";
  } else {
    auto races = parse_tsan_reports(tsan.run.run.output, student_dir, e.student_files);
    if (race_reported(tsan.run)) {
      c.races = "RACE";
      text += "The race detector found a problem:\n" +
              (race_text_hidden(tsan.run) ? "(the program hid the report text)" : describe_races(races)) + "\n";
    } else {
      c.races = "clean";
    }
    Evaluation tev = evaluate(tsan.names, tsan.run, ItemKind::public_test, 1, o.tsan_timeout, student_dir);
    c.leaks = c.leaks || tev.leaks;
    if (ev.all_passed && !tev.all_passed && c.races == "clean")
      text += "Under the race detector a test failed: " + tev.first_problem + "\n";
    ev.all_passed = ev.all_passed && tev.all_passed;
  }
}

// The plain run's results: the Tests and Leaks cells, and the first failure for `text`.
Evaluation judge_plain_run(const StudentOptions& o, const VariantRun& plain, Check& c, std::string& text) {
  Evaluation ev = evaluate(plain.names, plain.run, ItemKind::public_test, 1, o.timeout, o.course_root / "exercises");
  c.compiled = true;
  c.passed = ev.passed;
  c.total = static_cast<int>(plain.names.size());
  c.leaks = ev.leaks;
  for (auto& i : ev.items)
    if (!i.passed) {
      text += failed_test_text(i.name, i.output);
      break;  // the first failure is the one to fix
    }
  if (plain.names.empty()) text += "Could not list the tests: " + plain.list_error + "\n";
  return ev;
}

// The plain, scheduled and race-detector runs of one exercise's public
// tests: the race detector's run goes on beside the other two, which share
// the plain program (the schedule runs only once the plain run passed).
Check check_one(const StudentOptions& o, const Exercise& e, int schedules, const fs::path& scratch,
                Building building) {
  Check c;
  c.exercise = &e;
  std::atomic<bool> plain_hung{false};  // then the race detector's slower run is stopped
  auto tsan_future = std::async(std::launch::async, [&] {
    return o.race_detector ? build_and_run(o, e, Variant::tsan, scratch, building, &plain_hung)
                           : VariantRun{};
  });
  VariantRun plain = build_and_run(o, e, Variant::plain, scratch, building);
  plain_hung = plain.run.run.timed_out;
  std::string text;
  Evaluation ev;
  ScheduleCheck sc;
  if (plain.built) ev = judge_plain_run(o, plain, c, text);
  if (plain.built && ev.all_passed && !plain.names.empty() && o.schedule.empty())
    sc = check_schedules(o, e, plain.binary, plain.names, scratch, schedules);
  VariantRun tsan = tsan_future.get();
  building.progress.finish();
  if (!plain.built) {
    c.compile_errors = explain_compile_errors(plain.build_log, o.course_root / "exercises");
    c.explanation = "Your code does not compile yet:\n" + c.compile_errors;
    return c;
  }
  c.schedules = !o.schedule.empty() ? o.schedule
                : sc.host_error      ? "host error"
                                     : schedules_cell(sc.planned, sc.ran, sc.passed);
  text += sc.text;
  if (o.race_detector) judge_race_run(o, e, tsan, ev, c, text);
  bool schedules_pass = sc.passed == sc.ran;
  c.ok = ev.all_passed && schedules_pass && !plain.names.empty() && (!o.race_detector || c.races == "clean");
  if (!c.ok && !o.schedule.empty()) text += schedule_replay_text(e, o.schedule);
  if (!c.ok) text += trace_command_text(e, o.schedule);
  c.explanation = text;
  return c;
}

void print_table(const std::vector<Check>& checks, const Colors& col) {
  std::size_t w_lesson = 6, w_ex = 8;
  for (auto& c : checks) {
    w_lesson = std::max(w_lesson, c.exercise->lesson.size());
    w_ex = std::max(w_ex, c.exercise->id.size() - c.exercise->id.find('/') - 1);
  }
  std::cout << col.bold(pad("Lesson", w_lesson + 2) + pad("Exercise", w_ex + 2) + pad("Tests", 8) +
                        pad("Races", 12) + pad("Leaks", 7) + pad("Schedules", 11) + "Status")
            << "\n";
  for (auto& c : checks) {
    std::string tests = c.compiled ? std::to_string(c.passed) + "/" + std::to_string(c.total) : "-";
    std::string status = c.ok ? col.green("done") : c.compiled ? col.red("failing") : col.red("compile error");
    std::cout << pad(c.exercise->lesson, w_lesson + 2)
              << pad(c.exercise->id.substr(c.exercise->id.find('/') + 1), w_ex + 2) << pad(tests, 8)
              << pad(c.races, 12) << pad(leaks_cell(c.compiled, c.leaks), 7) << pad(c.schedules, 11) << status
              << "\n";
  }
}

fs::path scratch_dir() { return make_scratch_dir("goc-check"); }

std::vector<Check> run_checks(const StudentOptions& o, const Manifest& m,
                              const std::vector<const Exercise*>& exercises) {
  BuildProgress progress(std::cerr, stderr_is_terminal(), terminal_width());
  ensure_configured(o.course_root, o.build_plain, Variant::plain, progress);
  if (o.race_detector) ensure_configured(o.course_root, o.build_tsan, Variant::tsan, progress);
  if (exercises.size() > 1) {
    // Build everything first (both variants side by side), then check each.
    std::vector<std::string> targets;
    for (auto* e : exercises) targets.push_back(e->key + "_student_public");
    std::cerr << "Building " << targets.size() << " exercises ...\n";
    auto t = std::async(std::launch::async, [&] {
      if (o.race_detector)
        build_targets(o.build_tsan, targets, std::max(1, o.jobs / 2), true, Variant::tsan, progress,
                      never_built(o.build_tsan, targets));
    });
    build_targets(o.build_plain, targets, std::max(1, o.jobs / 2), true, Variant::plain, progress,
                  never_built(o.build_plain, targets));
    t.get();
    progress.finish();
  }
  fs::path scratch = scratch_dir();
  std::vector<Check> checks;
  for (auto* e : exercises) {
    if (exercises.size() > 1) std::cerr << "Checking " << e->id << " ...\n";
    checks.push_back(
        check_one(o, *e, m.schedules_for(*e, o.schedules), scratch, Building{progress, exercises.size() == 1}));
  }
  std::error_code ec;
  fs::remove_all(scratch, ec);
  return checks;
}

void explain(const Check& c, const Colors& col, bool watching) {
  std::cout << "\n" << col.bold(c.exercise->id + ": " + c.exercise->title) << "\n";
  std::cout << cap_text(c.explanation, 6000);
  std::cout << next_step_text(*c.exercise, watching);
}

}  // namespace

int cmd_check(const StudentOptions& o, const std::vector<std::string>& only) {
  Manifest m = load_manifest(o.course_root / "exercises" / "manifest.toml");
  auto exercises = select_exercises(m, only);
  Progress progress = Progress::load(o.course_root);
  auto checks = run_checks(o, m, exercises);
  for (auto& c : checks) progress.done[c.exercise->id] = c.ok;
  progress.save();
  Colors col{use_color()};
  std::cout << "\n";
  print_table(checks, col);
  const Check* first_failing = nullptr;
  for (auto& c : checks)
    if (!c.ok && !first_failing) first_failing = &c;
  if (first_failing) {
    explain(*first_failing, col, false);
  } else if (auto* next = current_exercise(m, progress)) {
    std::cout << "\n" << col.green("All checked exercises pass.") << " Next: " << next->id
              << " (`./course watch` re-checks it on every save).\n";
  } else {
    std::cout << "\n" << col.green("Every exercise passes. Well done!") << "\n";
  }
  std::size_t done = 0;
  for (auto& e : m.exercises) done += progress.is_done(e.id);
  std::cout << "Progress: " << done << " / " << m.exercises.size() << "\n";
  return first_failing ? 1 : 0;
}

namespace {

// Waits until a student file of `e` changes, or a key arrives on stdin.
// Returns the key ('\0' for a file change).
char wait_for_change(const StudentOptions& o, const Exercise& e, bool poll_only) {
  fs::path dir = o.course_root / "exercises" / e.id;
  auto stamp = [&] {
    std::string s;
    for (auto& f : e.student_files) {
      std::error_code ec;
      auto t = fs::last_write_time(dir / f, ec);
      s += std::to_string(ec ? 0 : t.time_since_epoch().count()) + ":" +
           std::to_string(ec ? 0 : fs::file_size(dir / f, ec)) + ";";
    }
    return s;
  };
  std::string before = stamp();
  int inotify = poll_only ? -1 : inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  if (inotify >= 0 && inotify_add_watch(inotify, dir.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_MODIFY) < 0) {
    close(inotify);
    inotify = -1;
  }
  char key = 0;
  while (true) {
    pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {inotify, POLLIN, 0}};
    int n = poll(fds, inotify >= 0 ? 2 : 1, 1000);  // the 1 s tick doubles as the polling fallback
    if (n > 0 && (fds[0].revents & (POLLHUP | POLLERR)) && !(fds[0].revents & POLLIN)) {
      key = 'q';  // stdin closed
      break;
    }
    if (n > 0 && (fds[0].revents & POLLIN)) {
      char buf[64];
      ssize_t got = read(STDIN_FILENO, buf, sizeof buf);
      if (got <= 0) {
        key = 'q';
        break;
      }
      for (ssize_t i = 0; i < got; ++i)
        if (!std::isspace(static_cast<unsigned char>(buf[i]))) {
          key = buf[i];
          break;
        }
      if (key) break;
    }
    if (n > 0 && inotify >= 0 && (fds[1].revents & POLLIN)) {
      char buf[4096];
      while (read(inotify, buf, sizeof buf) > 0) {
      }
      // Editors save in several steps: let them finish.
      std::this_thread::sleep_for(std::chrono::milliseconds(150));
    }
    if (stamp() != before) break;
  }
  if (inotify >= 0) close(inotify);
  return key;
}

// One schedule run of the public tests; false when it failed (then `sc.text` says how).
bool check_under_schedule(const StudentOptions& o, const Exercise& e, const fs::path& binary,
                          const std::vector<std::string>& names, const fs::path& scratch,
                          const std::string& schedule, ScheduleCheck& sc) {
  RunWatch watch{"plain, GOC_SCHEDULE=" + schedule, e.id + " public tests", say_progress, 10, nullptr, schedule, ""};
  TestRun t = run_tests(binary, o.timeout, student_sandbox(), scratch, nullptr, watch);
  ++sc.ran;
  if (schedule_could_not_start(t)) {
    sc.host_error = true;
    sc.text = "The seeded-schedule run (GOC_SCHEDULE=" + schedule + ") could not start on this machine, " +
              "which is not a fault of your code: " + why_schedule_could_not_start(t) + "\n";
    return false;
  }
  fs::path student_dir = o.course_root / "exercises";
  Evaluation ev = evaluate(names, t, ItemKind::public_test, 1, o.timeout, student_dir);
  if (ev.all_passed) {
    ++sc.passed;
    return true;
  }
  sc.text = "Without a schedule the tests pass, but under the seeded schedule GOC_SCHEDULE=" + schedule +
            " (schedule " + std::to_string(sc.ran) + " of " + std::to_string(sc.planned) + ") one failed:\n";
  for (auto& i : ev.items)
    if (!i.passed) {
      sc.text += failed_test_text(i.name, i.output);
      break;
    }
  sc.text += schedule_replay_text(e, schedule);
  return false;
}

}  // namespace

ScheduleCheck check_schedules(const StudentOptions& o, const Exercise& e, const fs::path& binary,
                              const std::vector<std::string>& names, const fs::path& scratch, int count) {
  ScheduleCheck sc;
  sc.planned = count;
  for (const std::string& schedule : fixed_schedules(count))
    if (!check_under_schedule(o, e, binary, names, scratch, schedule, sc)) break;
  return sc;
}

std::string failed_test_text(const std::string& name, std::string_view output) {
  std::size_t end = output.find_last_not_of(" \t\r\n");
  std::string body(output.substr(0, end == std::string_view::npos ? 0 : end + 1));
  return "Test \"" + name + "\" failed:\n" + body + "\n\n";
}

std::string schedule_replay_text(const Exercise& e, const std::string& schedule) {
  return "This check ran under the seeded schedule GOC_SCHEDULE=" + schedule +
         ": goroutines took turns in an order fixed by the seed, so " + replay_command(e.id, schedule) +
         " fails the same way again.\n";
}

std::string schedules_cell(int planned, int ran, int passed) {
  if (ran == 0) return "-";
  return std::to_string(passed) + "/" + std::to_string(planned);
}

std::string leaks_cell(bool compiled, bool leaks) { return !compiled ? "-" : leaks ? "yes" : "no"; }

std::string next_step_text(const Exercise& e, bool watching) {
  std::string edit = "Edit " + join(e.student_files, ", ") + " in exercises/" + e.id + "/";
  if (watching) return edit + " and save: watch checks it again.\n";
  return edit + ", then run `./course check " + e.id + "` again (`./course hint` for a hint).\n";
}

std::string watch_round_start(bool terminal, const std::string& exercise, WatchRound why) {
  const char* clear = "\033[H\033[2J";  // cursor home, clear the screen
  switch (why) {
    case WatchRound::first: return terminal ? clear : "";
    case WatchRound::after_change:
      return terminal ? clear : "\n---- " + exercise + " changed: checking it again ----\n";
    case WatchRound::next_exercise:  // the screen keeps the news that the last one passed
      return terminal ? "" : "\n---- next exercise: " + exercise + " ----\n";
  }
  return "";
}

WatchKey watch_key(char key) {
  switch (std::tolower(static_cast<unsigned char>(key))) {
    case 'h': return WatchKey::hint;
    case 'l': return WatchKey::list;
    case 'q': return WatchKey::quit;
    default: return WatchKey::unknown;
  }
}

std::string watch_keys_text() { return "keys (then Enter): h hint, l list, q quit; saving a file checks again"; }

int cmd_watch(const StudentOptions& o, bool poll_only) {
  Manifest m = load_manifest(o.course_root / "exercises" / "manifest.toml");
  Colors col{use_color()};
  bool terminal = isatty(STDOUT_FILENO);
  WatchRound why = WatchRound::first;
  while (true) {
    Progress progress = Progress::load(o.course_root);
    const Exercise* e = current_exercise(m, progress);
    if (!e) {
      std::cout << col.green("Every exercise passes. Well done!") << "\n";
      return 0;
    }
    std::cout << watch_round_start(terminal, e->id, why) << std::flush;
    auto checks = run_checks(o, m, {e});
    const Check& c = checks[0];
    progress.done[e->id] = c.ok;
    progress.save();
    std::cout << "\n";
    print_table(checks, col);
    if (c.ok) {
      std::cout << col.green("\n" + e->id + " passes! Moving on.") << "\n" << std::endl;
      why = WatchRound::next_exercise;
      continue;
    }
    explain(c, col, true);
    std::cout << col.dim("Watching " + e->id + (poll_only ? " (polling)" : "") + " - " + watch_keys_text())
              << std::endl;
    why = WatchRound::after_change;
    while (true) {
      char key = wait_for_change(o, *e, poll_only);
      if (key == 0) break;
      switch (watch_key(key)) {
        case WatchKey::quit: return 1;
        case WatchKey::hint: cmd_hint(o, e->id); break;
        case WatchKey::list: cmd_list(o); break;
        case WatchKey::unknown:
          std::cout << "'" << key << "' is not a key of watch: " << watch_keys_text() << "\n";
          break;
      }
      std::cout << std::flush;
    }
  }
}

int cmd_hint(const StudentOptions& o, const std::string& name) {
  Manifest m = load_manifest(o.course_root / "exercises" / "manifest.toml");
  Progress progress = Progress::load(o.course_root);
  const Exercise& e = find_exercise(m, progress, name);
  int shown = progress.hints[e.id];
  int total = static_cast<int>(e.hints.size());
  Colors col{use_color()};
  std::cout << col.bold(e.id + ": " + e.title) << "\n";
  if (total == 0) {
    std::cout << "This exercise has no hints. The Go idea: " << e.go_idea << "\n";
    return 0;
  }
  if (shown < total) ++shown;
  progress.hints[e.id] = shown;
  progress.save();
  for (int i = 0; i < shown; ++i)
    std::cout << "Hint " << i + 1 << "/" << total << ": " << e.hints[i] << "\n";
  if (shown < total)
    std::cout << col.dim("Run `./course hint` again for the next hint.") << "\n";
  else if (!e.go_idea.empty())
    std::cout << "That was the last hint. The Go idea behind it: " << e.go_idea << "\n";
  return 0;
}

int cmd_list(const StudentOptions& o) {
  Manifest m = load_manifest(o.course_root / "exercises" / "manifest.toml");
  Progress progress = Progress::load(o.course_root);
  const Exercise* current = current_exercise(m, progress);
  Colors col{use_color()};
  std::size_t w = 8;
  for (auto& e : m.exercises) w = std::max(w, e.id.size());
  std::cout << col.bold("   " + pad("Exercise", w + 2) + pad("Status", 10) + "Hints  Title") << "\n";
  std::size_t done = 0;
  for (auto& e : m.exercises) {
    bool d = progress.is_done(e.id);
    done += d;
    std::string mark = &e == current ? "-> " : "   ";
    std::string status = d ? col.green(pad("done", 10)) : &e == current ? col.yellow(pad("current", 10)) : pad("pending", 10);
    std::string hints = std::to_string(progress.hints[e.id]) + "/" + std::to_string(e.hints.size());
    std::cout << mark << pad(e.id, w + 2) << status << pad(hints, 7) << e.title << "\n";
  }
  std::cout << "Progress: " << done << " / " << m.exercises.size() << "\n";
  return 0;
}

int cmd_reset(const StudentOptions& o, const std::string& name) {
  Manifest m = load_manifest(o.course_root / "exercises" / "manifest.toml");
  Progress progress = Progress::load(o.course_root);
  if (name.empty()) {
    const Exercise* e = current_exercise(m, progress);
    throw UserError("name the exercise to put back to its skeleton, for example `./course reset " +
                    (e ? e->id : m.exercises.front().id) +
                    "` (`./course list` shows them all). Your version is saved in .progress/backup/ first.");
  }
  const Exercise& e = find_exercise(m, progress, name);
  std::string stamp = std::to_string(std::time(nullptr));
  for (auto& f : e.student_files) {
    fs::path target = o.course_root / "exercises" / e.id / f;
    std::optional<std::string> skeleton = try_read_file(o.course_root / ".course-skeletons" / e.id / f);
    if (!skeleton) {
      // In the instructor's repository the committed file is the skeleton.
      RunOptions r;
      r.argv = {"git", "-C", o.course_root.string(), "show", "HEAD:exercises/" + e.id + "/" + f};
      r.timeout_seconds = 30;
      RunResult g = run(r);
      if (g.ok()) skeleton = g.output;
    }
    if (!skeleton) throw UserError("no skeleton found for " + e.id + "/" + f);
    if (fs::exists(target)) {
      fs::path backup = o.course_root / ".progress" / "backup" / e.id / (f + "." + stamp);
      fs::create_directories(backup.parent_path());
      fs::copy_file(target, backup, fs::copy_options::overwrite_existing);
      std::cout << "Saved your version as " << fs::relative(backup, o.course_root).string() << "\n";
    }
    write_file(target, *skeleton);
    std::cout << "Reset exercises/" << e.id << "/" << f << " to the skeleton.\n";
  }
  progress.done[e.id] = false;
  progress.save();
  return 0;
}

// ---------------------------------------------------------------------------
// `run`: a lesson's example programs.

std::vector<std::string> lesson_examples(const fs::path& root) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto& lesson : fs::directory_iterator(root / "lessons", ec)) {
    fs::path folder = lesson.path() / "examples";
    if (!fs::is_directory(folder)) continue;
    for (auto& f : fs::directory_iterator(folder))
      if (f.path().extension() == ".cpp")
        out.push_back(lesson.path().filename().string() + "/" + f.path().stem().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string example_target(const std::string& example) {
  std::string lesson = example.substr(0, example.find('/'));
  std::string number = lesson.substr(0, lesson.find_first_not_of("0123456789"));
  return "lesson" + number + "_" + replace_all(example.substr(example.find('/') + 1), "-", "_");
}

std::string resolve_example(const std::vector<std::string>& examples, const std::string& name) {
  std::vector<Named> items;
  for (auto& id : examples) {
    Named n{id, spellings_of(id.substr(0, id.find('/')), id.substr(id.find('/') + 1))};
    n.spellings.push_back(normalize_name(example_target(id)));
    items.push_back(std::move(n));
  }
  std::vector<std::string> ids = exact_matches(items, name);
  std::string n = normalize_name(name);
  if (ids.empty() && !n.empty())
    for (auto& id : examples)
      if (starts_with(id, n)) ids.push_back(id);
  if (ids.size() == 1) return ids[0];
  if (ids.size() > 1)
    throw UserError("'" + name + "' names " + std::to_string(ids.size()) + " examples:\n  " + join(ids, "\n  ") +
                    "\nName one, for example `./course run " + ids[0] + "`.");
  std::string near = nearest_name(items, name);
  throw UserError("no lesson example matches '" + name + "'." + (near.empty() ? "" : " Did you mean " + near + "?") +
                  "\n  `./course run` lists the examples.");
}

namespace {

void list_examples(const std::vector<std::string>& examples) {
  std::string lesson;
  std::cout << "The lessons' example programs (lessons/LESSON/examples/NAME.cpp):\n";
  for (auto& id : examples) {
    std::string l = id.substr(0, id.find('/'));
    if (l != lesson) std::cout << "\n" << (lesson = l) << "\n";
    std::cout << "  " << id << "\n";
  }
  std::cout << "\nRun one with `./course run " << examples.front()
            << "` (its short name or numbers do too: `./course run 1/1`).\n";
}

}  // namespace

int cmd_run(const StudentOptions& o, const std::string& name) {
  std::vector<std::string> examples = lesson_examples(o.course_root);
  if (examples.empty()) throw UserError("no lesson examples under " + (o.course_root / "lessons").string());
  if (name.empty()) {
    list_examples(examples);
    return 0;
  }
  std::string id = resolve_example(examples, name);
  std::string target = example_target(id);
  BuildProgress progress(std::cerr, stderr_is_terminal(), terminal_width());
  ensure_configured(o.course_root, o.build_plain, Variant::plain, progress);
  fs::path binary = o.build_plain / "lessons" / id.substr(0, id.find('/')) / target;
  bool first = !fs::exists(binary);
  RunResult b = build_targets(o.build_plain, {target}, o.jobs, false, Variant::plain, progress, first);
  progress.finish();
  if (!b.ok()) throw UserError("building " + id + " failed:\n" + cap_text(b.output, 6000));
  if (!fs::is_regular_file(binary)) binary = target_binary(o.build_plain, target);
  if (binary.empty()) throw UserError("the build made no program " + target);
  std::cerr << "== " << id << " (lessons/" << replace_all(id, "/", "/examples/") << ".cpp) ==\n";
  std::cout.flush();
  std::cerr.flush();
  std::string path = binary.string();
  char* argv[] = {path.data(), nullptr};
  execv(path.c_str(), argv);  // the example's output and exit status are the command's
  throw UserError("cannot run " + path);
}

}  // namespace grader
