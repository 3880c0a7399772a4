#include "student.hpp"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

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

#include "builder.hpp"
#include "data_file.hpp"
#include "diagnose.hpp"
#include "testrun.hpp"

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
  if (chosen.size() != 1) throw UserError("'" + name + "' names " + std::to_string(chosen.size()) + " exercises; give one id");
  return *chosen[0];
}

// ---------------------------------------------------------------------------
// Building in the student's own build folders.
void ensure_configured(const fs::path& root, const fs::path& dir, Variant v) {
  if (fs::exists(dir / "CMakeCache.txt")) return;
  std::cerr << "Configuring " << dir.string() << " (first time only) ...\n";
  RunOptions o;
  o.argv = {"cmake", "-S", root.string(), "-B", dir.string(), "-DCMAKE_BUILD_TYPE=Debug",
            std::string("-DGOC_TSAN=") + (v == Variant::tsan ? "ON" : "OFF")};
  o.timeout_seconds = 900;
  o.output_cap = 4 << 20;
  RunResult r = run(o);
  if (!r.ok()) throw UserError("configuring " + dir.string() + " failed:\n" + cap_text(r.output, 6000));
}

RunResult build_targets(const fs::path& dir, const std::vector<std::string>& targets, int jobs, bool keep_going) {
  RunOptions o;
  o.argv = {"cmake", "--build", dir.string(), "-j", std::to_string(std::max(1, jobs)), "--target"};
  for (auto& t : targets) o.argv.push_back(t);
  if (keep_going) {
    o.argv.push_back("--");
    o.argv.push_back("-k");
  }
  o.timeout_seconds = 3600;
  o.output_cap = 8 << 20;
  return run(o);
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
  bool leaks = false;
  bool ok = false;
  std::string explanation;    ///< what went wrong, for the student
};

struct VariantRun {
  bool built = false;
  std::string build_log;
  TestRun run;
  std::vector<std::string> names;
  std::string list_error;
};

// "still running: ..." every 10 s, from the plain and the race-detector run at once.
void say_progress(const std::string& line) {
  static std::mutex mu;
  std::lock_guard lock(mu);
  std::cerr << line << "\n";
}

// `cancel`: set once this run's result is no longer wanted (the plain run hung).
VariantRun build_and_run(const StudentOptions& o, const Exercise& e, Variant v, const fs::path& scratch,
                         const std::atomic<bool>* cancel = nullptr) {
  VariantRun vr;
  fs::path dir = v == Variant::plain ? o.build_plain : o.build_tsan;
  std::string target = e.key + "_student_public";
  RunResult b = build_targets(dir, {target}, 1, false);
  vr.build_log = b.output;
  if (!b.ok()) return vr;
  fs::path binary = target_binary(dir, target);
  if (binary.empty()) {
    vr.build_log += "\n(no program " + target + " was built)";
    return vr;
  }
  vr.built = true;
  vr.names = list_test_cases(binary, scratch, vr.list_error);
  Sandbox sandbox;
  sandbox.enabled = true;
  sandbox.isolate = false;
  sandbox.drop_privileges = false;
  sandbox.max_threads = 0;  // the student's own account: other programs count too
  RunWatch watch{v == Variant::plain ? "plain" : "ThreadSanitizer", e.id + " public tests", say_progress, 10, cancel};
  vr.run = run_tests(binary, v == Variant::plain ? o.timeout : o.tsan_timeout, sandbox, scratch, nullptr, watch);
  return vr;
}

Check check_one(const StudentOptions& o, const Exercise& e, const fs::path& scratch) {
  Check c;
  c.exercise = &e;
  fs::path student_dir = o.course_root / "exercises";
  std::atomic<bool> plain_hung{false};  // then the race detector's slower run is stopped
  auto tsan_future = std::async(std::launch::async, [&] {
    return o.race_detector ? build_and_run(o, e, Variant::tsan, scratch, &plain_hung) : VariantRun{};
  });
  VariantRun plain = build_and_run(o, e, Variant::plain, scratch);
  plain_hung = plain.run.run.timed_out;
  VariantRun tsan = tsan_future.get();
  if (!plain.built) {
    c.compile_errors = explain_compile_errors(plain.build_log, student_dir);
    c.explanation = "Your code does not compile yet:\n" + c.compile_errors;
    return c;
  }
  c.compiled = true;
  Evaluation ev = evaluate(plain.names, plain.run, ItemKind::public_test, 1, o.timeout, student_dir);
  c.passed = ev.passed;
  c.total = static_cast<int>(plain.names.size());
  c.leaks = ev.leaks;
  std::string text;
  for (auto& i : ev.items)
    if (!i.passed) {
      text += "Test \"" + i.name + "\" failed:\n" + i.output + "\n\n";
      break;  // the first failure is the one to fix
    }
  if (plain.names.empty()) text += "Could not list the tests: " + plain.list_error + "\n";
  if (o.race_detector) {
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
  c.ok = ev.all_passed && !plain.names.empty() && (!o.race_detector || c.races == "clean");
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
                        pad("Races", 12) + pad("Leaks", 7) + "Status")
            << "\n";
  for (auto& c : checks) {
    std::string tests = c.compiled ? std::to_string(c.passed) + "/" + std::to_string(c.total) : "-";
    std::string status = c.ok ? col.green("done") : c.compiled ? col.red("failing") : col.red("compile error");
    std::cout << pad(c.exercise->lesson, w_lesson + 2)
              << pad(c.exercise->id.substr(c.exercise->id.find('/') + 1), w_ex + 2) << pad(tests, 8)
              << pad(c.races, 12) << pad(c.leaks ? "yes" : "no", 7) << status << "\n";
  }
}

fs::path scratch_dir() {
  char tmpl[] = "/tmp/goc-check-XXXXXX";
  if (!mkdtemp(tmpl)) throw UserError("cannot create a scratch folder in /tmp");
  return tmpl;
}

std::vector<Check> run_checks(const StudentOptions& o, const std::vector<const Exercise*>& exercises) {
  ensure_configured(o.course_root, o.build_plain, Variant::plain);
  if (o.race_detector) ensure_configured(o.course_root, o.build_tsan, Variant::tsan);
  if (exercises.size() > 1) {
    // Build everything first (both variants side by side), then check each.
    std::vector<std::string> targets;
    for (auto* e : exercises) targets.push_back(e->key + "_student_public");
    std::cerr << "Building " << targets.size() << " exercises ...\n";
    auto t = std::async(std::launch::async, [&] {
      if (o.race_detector) build_targets(o.build_tsan, targets, std::max(1, o.jobs / 2), true);
    });
    build_targets(o.build_plain, targets, std::max(1, o.jobs / 2), true);
    t.get();
  }
  fs::path scratch = scratch_dir();
  std::vector<Check> checks;
  for (auto* e : exercises) {
    if (exercises.size() > 1) std::cerr << "Checking " << e->id << " ...\n";
    checks.push_back(check_one(o, *e, scratch));
  }
  std::error_code ec;
  fs::remove_all(scratch, ec);
  return checks;
}

void explain(const Check& c, const Colors& col) {
  std::cout << "\n" << col.bold(c.exercise->id + ": " + c.exercise->title) << "\n";
  std::cout << cap_text(c.explanation, 6000);
  std::cout << "Edit " << join(c.exercise->student_files, ", ") << " in exercises/" << c.exercise->id
            << "/, then run `./course check " << c.exercise->id << "` again (`./course hint` for a hint).\n";
}

}  // namespace

int cmd_check(const StudentOptions& o, const std::vector<std::string>& only) {
  Manifest m = load_manifest(o.course_root / "exercises" / "manifest.toml");
  auto exercises = select_exercises(m, only);
  Progress progress = Progress::load(o.course_root);
  auto checks = run_checks(o, exercises);
  for (auto& c : checks) progress.done[c.exercise->id] = c.ok;
  progress.save();
  Colors col{use_color()};
  std::cout << "\n";
  print_table(checks, col);
  const Check* first_failing = nullptr;
  for (auto& c : checks)
    if (!c.ok && !first_failing) first_failing = &c;
  if (first_failing) {
    explain(*first_failing, col);
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

}  // namespace

int cmd_watch(const StudentOptions& o, bool poll_only) {
  Manifest m = load_manifest(o.course_root / "exercises" / "manifest.toml");
  Colors col{use_color()};
  while (true) {
    Progress progress = Progress::load(o.course_root);
    const Exercise* e = current_exercise(m, progress);
    if (!e) {
      std::cout << col.green("Every exercise passes. Well done!") << "\n";
      return 0;
    }
    auto checks = run_checks(o, {e});
    const Check& c = checks[0];
    progress.done[e->id] = c.ok;
    progress.save();
    std::cout << "\n";
    print_table(checks, col);
    if (c.ok) {
      std::cout << col.green("\n" + e->id + " passes! Moving on.") << "\n" << std::endl;
      continue;
    }
    explain(c, col);
    std::cout << col.dim("Watching " + e->id + (poll_only ? " (polling)" : "") +
                         " - save to re-check; keys + Enter: h hint, l list, q quit")
              << std::endl;
    while (true) {
      char key = wait_for_change(o, *e, poll_only);
      if (key == 0) break;
      if (key == 'q') return 1;
      if (key == 'h') cmd_hint(o, e->id);
      if (key == 'l') cmd_list(o);
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

}  // namespace grader
