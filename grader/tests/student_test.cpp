// Unit tests of the student commands' parts: names, help, build progress,
// the check table, watch's screen, and the instructions' one way to check.
#include <algorithm>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "build_progress.hpp"
#include "cli.hpp"
#include "goc/testing/catch.hpp"
#include "manifest.hpp"
#include "names.hpp"
#include "student.hpp"
#include "testrun.hpp"

using namespace grader;

namespace {

const fs::path kTmp = GRADER_TEST_TMP;
const fs::path kSource = GOC_SOURCE_ROOT;

// A course root with two lessons of two exercises each.
fs::path small_course(const std::string& name) {
  fs::path root = kTmp / name;
  fs::remove_all(root);
  fs::create_directories(root / "exercises");
  std::string manifest;
  for (auto id : {"01-goroutines/01-wait-dont-sleep", "01-goroutines/02-race-counter", "02-channels/01-ping-pong",
                  "02-channels/02-generator-sum"})
    manifest += std::string("[[exercise]]\nid = \"") + id + "\"\nstudent_files = [\"a.cpp\"]\n" +
                "points = { public = 1, hidden = 0, race = 0 }\n";
  write_file(root / "exercises" / "manifest.toml", manifest);
  return root;
}

std::vector<std::string> ids_of(const Manifest& m, const std::string& name) {
  std::vector<std::string> ids;
  for (auto* e : select_exercises(m, {name})) ids.push_back(e->id);
  return ids;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

// What `./course ARGS --help` prints, parsed as main() parses it.
std::string help_of(std::vector<std::string> args) {
  StudentCommand c;
  auto app = course_app(c);
  args.insert(args.begin(), "/home/student/course/build/plain/grader/goc-grader");
  args.push_back("--help");
  std::vector<const char*> argv;
  for (auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  try {
    app->parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    app->exit(e, out, err);
  }
  return out.str() + err.str();
}

std::vector<fs::path> instruction_files() {
  std::vector<fs::path> files = {kSource / "docs" / "pages" / "student-guide.md"};
  for (auto folder : {"exercises", "lessons"})
    for (auto& f : fs::recursive_directory_iterator(kSource / folder))
      if (f.path().filename() == "README.md") files.push_back(f.path());
  return files;
}

}  // namespace

TEST_CASE("an exercise is found by its folder, a trailing slash, its short name, its numbers or its key") {
  Manifest m = load_manifest(small_course("names") / "exercises" / "manifest.toml");
  const std::vector<std::string> wait = {"01-goroutines/01-wait-dont-sleep"};
  for (auto spelling : {"01-goroutines/01-wait-dont-sleep", "exercises/01-goroutines/01-wait-dont-sleep/",
                        "./exercises/01-goroutines/01-wait-dont-sleep", "01-goroutines/01-wait-dont-sleep/",
                        "wait-dont-sleep", "01-wait-dont-sleep", "goroutines/wait-dont-sleep", "1/1", "01/01",
                        "01-01", "01-goroutines/01", "ex_01_01", "EX_01_01", "/home/me/course/exercises/01-goroutines/01-wait-dont-sleep/",
                        "exercises/01-goroutines/01-wait-dont-sleep/wait.cpp"}) {
    INFO(spelling);
    CHECK(ids_of(m, spelling) == wait);
  }
  const std::vector<std::string> lesson = {"02-channels/01-ping-pong", "02-channels/02-generator-sum"};
  for (auto spelling : {"02-channels", "exercises/02-channels/", "channels", "2", "02"}) {
    INFO(spelling);
    CHECK(ids_of(m, spelling) == lesson);
  }
}

TEST_CASE("a misspelt exercise gets the nearest name and the way to list them all") {
  Manifest m = load_manifest(small_course("typo") / "exercises" / "manifest.toml");
  std::string typo = error_of([&] { select_exercises(m, {"wiat-dont-sleep"}); });
  CHECK(contains(typo, "no exercise matches 'wiat-dont-sleep'"));
  CHECK(contains(typo, "Did you mean 01-goroutines/01-wait-dont-sleep?"));
  CHECK(contains(typo, "`./course list`"));
  CHECK(contains(error_of([&] { select_exercises(m, {"02-chanels/01-ping-pong"}); }),
                 "Did you mean 02-channels/01-ping-pong?"));
  std::string far = error_of([&] { select_exercises(m, {"quantum-entanglement"}); });
  CHECK(contains(far, "no exercise matches"));
  CHECK_FALSE(contains(far, "Did you mean"));
}

TEST_CASE("edit distance counts insertions, deletions and substitutions") {
  CHECK(edit_distance("wait", "wait") == 0);
  CHECK(edit_distance("wiat", "wait") == 2);
  CHECK(edit_distance("wait-dont-sleep", "wait-dont-slep") == 1);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("hint and reset given a whole lesson name the exercises in it and say how to list them") {
  fs::path root = small_course("one-of-many");
  StudentOptions o;
  o.course_root = root;
  std::string many = error_of([&] { cmd_hint(o, "02-channels"); });
  CHECK(contains(many, "names 2 exercises (02-channels/01-ping-pong, 02-channels/02-generator-sum)"));
  CHECK(contains(many, "`./course list`"));
}

TEST_CASE("reset without an exercise is no parse error: it says what to type") {
  StudentCommand c;
  auto app = course_app(c);
  const char* argv[] = {"goc-grader", "reset"};
  CHECK_NOTHROW(app->parse(2, argv));
  StudentOptions o;
  o.course_root = small_course("reset-nothing");
  std::string said = error_of([&] { cmd_reset(o, ""); });
  CHECK(contains(said, "`./course reset 01-goroutines/01-wait-dont-sleep`"));
  CHECK(contains(said, ".progress/backup/"));
}

TEST_CASE("the help of every student command names ./course, never the grader's path") {
  std::string top = help_of({});
  CHECK(contains(top, "./course"));
  for (auto command : {"check", "watch", "hint", "list", "reset", "run"}) {
    std::string help = help_of({command});
    INFO(help);
    CHECK(contains(help, std::string("Usage: ./course ") + command));
    CHECK_FALSE(contains(help, "goc-grader"));
    CHECK_FALSE(contains(help, "build/plain/grader"));
  }
}

TEST_CASE("a row that did not compile shows no leak verdict, since nothing ran") {
  CHECK(leaks_cell(false, false) == "-");
  CHECK(leaks_cell(false, true) == "-");
  CHECK(leaks_cell(true, false) == "no");
  CHECK(leaks_cell(true, true) == "yes");
}

TEST_CASE("a failed test's output, a deadlock dump too, is followed by one blank line, not three") {
  std::string dump = "fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [chan receive]:\n  blocked at wait.cpp:10\n\n\n";
  CHECK(failed_test_text("waits", dump) ==
        "Test \"waits\" failed:\nfatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [chan receive]:\n"
        "  blocked at wait.cpp:10\n\n");
  CHECK(failed_test_text("t", "  indented first line\n") == "Test \"t\" failed:\n  indented first line\n\n");
}

TEST_CASE("watch clears the screen on a terminal and keeps every round in a log") {
  const std::string clear = "\033[2J";
  CHECK(contains(watch_round_start(true, "01-goroutines/01-wait-dont-sleep", WatchRound::first), clear));
  CHECK(contains(watch_round_start(true, "01-goroutines/01-wait-dont-sleep", WatchRound::after_change), clear));
  // The news that an exercise passed stays on screen above the next one.
  CHECK(watch_round_start(true, "01-goroutines/02-race-counter", WatchRound::next_exercise).empty());
  CHECK(watch_round_start(false, "x", WatchRound::first).empty());
  for (auto why : {WatchRound::after_change, WatchRound::next_exercise}) {
    std::string piped = watch_round_start(false, "01-goroutines/01-wait-dont-sleep", why);
    CHECK_FALSE(contains(piped, "\033"));
    CHECK(contains(piped, "01-goroutines/01-wait-dont-sleep"));
  }
}

TEST_CASE("inside watch the next step is to save, not to run ./course check again") {
  Exercise e;
  e.id = "01-goroutines/01-wait-dont-sleep";
  e.student_files = {"wait.cpp"};
  CHECK_FALSE(contains(next_step_text(e, true), "./course check"));
  CHECK(contains(next_step_text(e, true), "save"));
  CHECK(contains(next_step_text(e, false), "`./course check 01-goroutines/01-wait-dont-sleep` again"));
}

TEST_CASE("watch knows h, l and q in either case, and lists its keys for any other") {
  CHECK(watch_key('h') == WatchKey::hint);
  CHECK(watch_key('L') == WatchKey::list);
  CHECK(watch_key('q') == WatchKey::quit);
  CHECK(watch_key('x') == WatchKey::unknown);
  std::string keys = watch_keys_text();
  for (auto key : {"h hint", "l list", "q quit"}) CHECK(contains(keys, key));
}

TEST_CASE("a lesson example is found by its path, its file, its short name, its numbers or its target") {
  std::vector<std::string> examples = lesson_examples(kSource);
  REQUIRE(examples.size() > 10);
  for (auto spelling : {"01-goroutines/01-go-statement", "lessons/01-goroutines/examples/01-go-statement.cpp",
                        "go-statement", "01-go-statement", "1/1", "lesson01_01_go_statement",
                        "lessons/01-goroutines/examples/01-go-statement"}) {
    INFO(spelling);
    CHECK(resolve_example(examples, spelling) == "01-goroutines/01-go-statement");
  }
  CHECK(example_target("01-goroutines/01-go-statement") == "lesson01_01_go_statement");
  CHECK(contains(error_of([&] { resolve_example(examples, "go-statment"); }),
                 "Did you mean 01-goroutines/01-go-statement?"));
  std::string lesson = error_of([&] { resolve_example(examples, "01-goroutines"); });
  auto in_lesson_01 = std::count_if(examples.begin(), examples.end(), [](const std::string& e) {
    return e.rfind("01-goroutines/", 0) == 0;
  });
  CHECK(contains(lesson, "names " + std::to_string(in_lesson_01) + " examples"));
  CHECK(contains(lesson, "`./course run 01-goroutines/01-go-statement`"));
}

TEST_CASE("build steps are told from other lines of make's and ninja's output") {
  CHECK(is_build_step("[ 45%] Building CXX object runtime/CMakeFiles/goc_runtime.dir/src/sched.cpp.o"));
  CHECK(is_build_step("[100%] Linking CXX executable goc-grader"));
  CHECK(is_build_step("[12/80] Building CXX object a.o"));
  CHECK_FALSE(is_build_step("[100%] Built target goc_runtime"));
  CHECK_FALSE(is_build_step("wait.cpp:3:1: error: expected ';'"));
  CHECK_FALSE(is_build_step("[with T = int]"));
  CHECK(ninja_step("[12/80] Building CXX object a.o").done == 12);
  CHECK(ninja_step("[12/80] Building CXX object a.o").total == 80);
  CHECK(step_text("[ 45%] Building CXX object a.o") == "Building CXX object a.o");
  CHECK(dry_run_steps("/usr/bin/cmake -E cmake_echo_color --green \"Building CXX object a.o\"\n"
                      "g++ -c a.cpp\n"
                      "/usr/bin/cmake -E cmake_echo_color --bold \"Linking CXX executable b\"\n") == 2);
  CHECK(dry_run_steps("[1/3] Building a\n[2/3] Building b\n[3/3] Linking c\n") == 3);
}

TEST_CASE("build progress is a line per compiled file when piped") {
  std::ostringstream out;
  BuildProgress p(out, false);
  p.start("plain", 2);
  p.line("plain", "-- Detecting CXX compiler ABI info");
  p.line("plain", "[ 50%] Building CXX object a.o");
  p.line("plain", "a.cpp:1:1: warning: unused");
  p.line("plain", "[100%] Linking CXX executable b");
  p.line("plain", "[100%] Built target b");
  p.finish();
  CHECK(out.str() == "plain: [1/2] Building CXX object a.o\nplain: [2/2] Linking CXX executable b\n");
}

TEST_CASE("build progress on a terminal is one line redrawn with a bar, the counts and the file, then cleared") {
  std::ostringstream out;
  BuildProgress p(out, true, 100);
  p.start("plain", 4);
  p.start("tsan", 4);
  p.line("plain", "[ 10%] Building CXX object a.o");
  p.line("plain", "[ 20%] Building CXX object b.o");
  CHECK(p.status() == "[#####...............] 25%   plain 2/4  tsan 0/4  Building CXX object b.o");
  CHECK(contains(out.str(), "\r\033[K[#####"));
  CHECK(out.str().find('\n') == std::string::npos);
  p.finish();
  CHECK(out.str().ends_with("\r\033[K"));
  BuildProgress narrow(out, true, 40);
  narrow.start("plain", 1);
  narrow.line("plain", "[ 10%] Building CXX object a/very/long/path/to/an/object/file.o");
  CHECK(narrow.status().size() < 40);
}

TEST_CASE("a build's output reaches the progress display line by line and is kept whole for errors") {
  std::ostringstream out;
  BuildProgress p(out, false);
  RunResult r = run_with_progress(
      {"sh", "-c", "echo '[ 50%] Building CXX object a.o'; echo 'a.cpp:1: error: boom' >&2; exit 2"}, "plain", p);
  CHECK(r.exit_code == 2);
  CHECK(out.str() == "plain: [1] Building CXX object a.o\n");
  CHECK(contains(r.output, "a.cpp:1: error: boom"));
}

TEST_CASE("every instruction says ./course check and never a raw build target or building goc_grader") {
  std::regex raw_build(R"(cmake --build|--target ex_|goc_grader|build/plain/(exercises|lessons)/)");
  for (auto& f : instruction_files()) {
    std::string text = read_file(f);
    INFO(f.string());
    CHECK_FALSE(std::regex_search(text, raw_build));
    if (f.parent_path().parent_path().parent_path().filename() == "exercises")
      CHECK(contains(text, "./course check"));
  }
  std::string lesson1 = read_file(kSource / "lessons" / "01-goroutines" / "README.md");
  CHECK(contains(lesson1, "./course run 01-goroutines/01-go-statement"));
}

TEST_CASE("the instructions state the facts the course teaches") {
  auto text = [](const std::string& path) { return read_file(kSource / path); };
  // The skeleton of 01-01 is race-clean: a missing wait fails the tests, not the race detector.
  CHECK_FALSE(contains(text("exercises/01-goroutines/01-wait-dont-sleep/README.md"), "also a data race"));
  // Go's memory model bounds what a racy word-sized read may see; C++ gives a racy program no meaning.
  std::string lesson1 = text("lessons/01-goroutines/README.md");
  CHECK_FALSE(contains(lesson1, "no useful meaning"));
  CHECK(contains(lesson1, "undefined behaviour"));
  // Closing a channel panics the next sender, not the receiver that closed it.
  CHECK_FALSE(std::regex_search(text("exercises/05-worker-pool/02-pool/README.md"),
                                std::regex(R"(panics[^.]*receiver\s+that\s+closes)")));
  // The lesson captures by value; the hint must not teach [&].
  Manifest m = load_manifest(kSource / "exercises" / "manifest.toml");
  for (auto& hint : m.find("ex_01_01")->hints) CHECK_FALSE(contains(hint, "[&]"));
  // reset keeps the student's version.
  CHECK(contains(text("docs/pages/student-guide.md"), ".progress/backup/"));
}

TEST_CASE("check --seed N runs under the schedule random:N, and --schedule takes any GOC_SCHEDULE") {
  {
    StudentCommand c;
    auto app = course_app(c);
    const char* argv[] = {"goc-grader", "check", "01-01", "--seed", "7"};
    app->parse(5, argv);
    CHECK(c.options.schedule == "random:7");
  }
  {
    StudentCommand c;
    auto app = course_app(c);
    const char* argv[] = {"goc-grader", "check", "--schedule", "pct:3:2"};
    app->parse(4, argv);
    CHECK(c.options.schedule == "pct:3:2");
  }
  StudentCommand c;
  auto app = course_app(c);
  const char* argv[] = {"goc-grader", "check"};
  app->parse(2, argv);
  CHECK(c.options.schedule.empty());
}

TEST_CASE("a failure under a schedule says the check command that replays it") {
  Exercise e;
  e.id = "05-worker-pool/02-pool";
  CHECK(contains(schedule_replay_text(e, "random:7"), "`./course check 05-worker-pool/02-pool --seed 7`"));
  CHECK(contains(schedule_replay_text(e, "pct:3:2"),
                 "`./course check 05-worker-pool/02-pool --schedule pct:3:2`"));
}

TEST_CASE("a test program run under a schedule gets it in GOC_SCHEDULE, and only then") {
  fs::path root = fs::temp_directory_path() / ("goc-schedule-env-" + std::to_string(::getpid()));
  fs::create_directories(root);
  fs::path program = root / "prints-schedule";
  {
    std::ofstream out(program);
    out << "#!/bin/sh\necho \"schedule=[$GOC_SCHEDULE]\"\n";
  }
  fs::permissions(program, fs::perms::owner_all);
  Sandbox sandbox;  // disabled: the environment is what is checked
  RunWatch watch;
  watch.schedule = "random:7";
  TestRun scheduled = run_tests(program, 10, sandbox, root, nullptr, watch);
  CHECK(contains(scheduled.run.output, "schedule=[random:7]"));
  TestRun plain = run_tests(program, 10, sandbox, root);
  CHECK(contains(plain.run.output, "schedule=[]"));
  fs::remove_all(root);
}
