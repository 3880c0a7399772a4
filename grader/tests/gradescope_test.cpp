// The Gradescope package run the way Gradescope runs it (its autograder
// documentation): the zip unpacked into <root>/source, setup.sh once, then for
// each upload run_autograder with the files in <root>/submission, and
// <root>/results/results.json read back. <root> stands for /autograder
// (AUTOGRADER_ROOT); setup.sh is pointed at the grader this build made
// (GOC_GRADER) instead of building its own, which grader/README.md,
// "Gradescope", shows done by hand. The real course is packaged with one
// exercise, so the setup builds that exercise's caches only.
#include <cmath>
#include <regex>
#include <set>
#include <nlohmann/json.hpp>

#include "goc/testing/catch.hpp"
#include "test_support.hpp"

using namespace grader;
using nlohmann::json;

namespace {

const fs::path kCourse = GOC_COURSE_ROOT;
const fs::path kWork = GRADER_TEST_WORK;
const fs::path kUploads = kWork.parent_path() / "uploads";  // kept apart: the setup clears kWork
const std::string kExercise = "01-goroutines/01-wait-dont-sleep";

RunResult run_script(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  RunOptions o;
  o.argv = {"env"};
  for (auto& e : env) o.argv.push_back(e);
  for (auto& a : argv) o.argv.push_back(a);
  o.cwd = "/tmp";
  o.timeout_seconds = 900;
  o.output_cap = 4 << 20;
  return run(o);
}

std::vector<std::string> harness_env() {
  return {"AUTOGRADER_ROOT=" + (kWork / "autograder").string(), std::string("GOC_GRADER=") + GRADER_BINARY};
}

struct Setup {
  RunResult result;
  std::string zip_listing;
};

// The package of one exercise, unpacked and set up once for the whole file.
const Setup& setup_once() {
  static const Setup setup = [] {
    fs::remove_all(kWork);
    fs::create_directories(kWork / "autograder" / "source");
    // --allow-dirty: the package is HEAD's course whatever the developer's tree holds.
    RunResult packaged = run_script({GRADER_BINARY, "--root", kCourse.string(), "package", "gradescope", "--allow-dirty",
                                     (kWork / "autograder.zip").string(), "--only", kExercise}, {});
    if (!packaged.ok()) FAIL("package gradescope failed: " << packaged.output);
    Setup s;
    s.zip_listing = run_script({"unzip", "-Z1", (kWork / "autograder.zip").string()}, {}).output;
    RunResult unzipped = run_script({"unzip", "-q", (kWork / "autograder.zip").string(), "-d",
                                     (kWork / "autograder" / "source").string()}, {});
    if (!unzipped.ok()) FAIL("unzip failed: " << unzipped.output);
    s.result = run_script({"bash", (kWork / "autograder/source/setup.sh").string()}, harness_env());
    return s;
  }();
  return setup;
}

struct Graded {
  json results;
  std::string text;
  std::string log;  ///< what run_autograder printed
};

// Puts `files` (path in the upload -> file to copy) in submission/, runs
// run_autograder and reads results.json.
Graded upload(const std::vector<std::pair<std::string, fs::path>>& files) {
  REQUIRE(setup_once().result.ok());
  fs::path root = kWork / "autograder";
  fs::remove_all(root / "submission");
  fs::remove_all(root / "results");
  for (auto& [name, from] : files) {
    fs::create_directories((root / "submission" / name).parent_path());
    fs::copy_file(from, root / "submission" / name);
  }
  RunResult r = run_script({"bash", (root / "source/run_autograder").string()}, harness_env());
  INFO(r.output);
  REQUIRE(r.ok());
  Graded g;
  g.log = r.output;
  g.text = read_file(root / "results" / "results.json");
  g.results = json::parse(g.text);
  return g;
}

bool one_of(const json& v, std::set<std::string> allowed) {
  return v.is_string() && allowed.count(v.get<std::string>()) > 0;
}

const std::set<std::string> kVisibilities = {"hidden", "after_due_date", "after_published", "visible"};
const std::set<std::string> kFormats = {"text", "html", "simple_format", "md", "ansi"};

// results.json as Gradescope's autograder documentation specifies it.
void check_gradescope_schema(const json& r) {
  const std::set<std::string> top = {"score", "execution_time", "output", "output_format", "visibility",
                                     "stdout_visibility", "extra_data", "tests", "leaderboard"};
  const std::set<std::string> per_test = {"score", "max_score", "status", "name", "number", "output",
                                          "output_format", "tags", "visibility", "extra_data"};
  for (auto& [key, value] : r.items()) CHECK(top.count(key) == 1);
  CHECK(r["score"].is_number());
  CHECK(r["output"].is_string());
  CHECK(one_of(r["visibility"], kVisibilities));
  if (r.contains("output_format")) CHECK(one_of(r["output_format"], kFormats));
  REQUIRE(r["tests"].is_array());
  for (auto& t : r["tests"]) {
    INFO(t.dump());
    for (auto& [key, value] : t.items()) CHECK(per_test.count(key) == 1);
    CHECK(t["score"].is_number());
    CHECK(t["max_score"].is_number());
    CHECK(one_of(t["status"], {"passed", "failed"}));
    CHECK(t["name"].is_string());
    CHECK(one_of(t["visibility"], kVisibilities));
    if (t.contains("output_format")) CHECK(one_of(t["output_format"], kFormats));
  }
}

// Every score in the file is written with at most two decimals, and the
// total is exactly the sum of the tests' scores (counted in hundredths).
void check_score_is_exact_sum(const Graded& g) {
  static const std::regex any_score(R"re("(score|max_score)": (-?[0-9.eE+-]+))re");
  static const std::regex two_decimals(R"(-?\d+(\.\d{1,2})?)");
  for (auto it = std::sregex_iterator(g.text.begin(), g.text.end(), any_score); it != std::sregex_iterator(); ++it) {
    INFO((*it)[0].str());
    CHECK(std::regex_match((*it)[2].str(), two_decimals));
  }
  long long sum = 0;
  for (auto& t : g.results["tests"]) sum += std::llround(t["score"].get<double>() * 100);
  CHECK(sum == std::llround(g.results["score"].get<double>() * 100));
}

double max_total(const json& r) {
  long long sum = 0;
  for (auto& t : r["tests"]) sum += std::llround(t["max_score"].get<double>() * 100);
  return static_cast<double>(sum) / 100;
}

// The names of the exercise's hidden test cases, read from its source.
std::vector<std::string> hidden_test_names() {
  std::string text = read_file(kCourse / "hidden" / kExercise / "hidden_test.cpp");
  static const std::regex test_case(R"re(TEST_CASE\(\s*"([^"]+)")re");
  std::vector<std::string> names;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), test_case); it != std::sregex_iterator(); ++it)
    names.push_back((*it)[1].str());
  return names;
}

// What a student sees before grades are published holds no hidden test's
// name and nothing of its source.
void check_hidden_tests_unnamed(const json& r) {
  std::vector<std::string> shown = {r["output"].get<std::string>()};
  for (auto& t : r["tests"])
    if (t["visibility"] == "visible") {
      shown.push_back(t["name"].get<std::string>());
      shown.push_back(t.value("output", ""));
    }
  auto hidden = hidden_test_names();
  REQUIRE(hidden.size() >= 3);
  for (auto& text : shown) {
    INFO(text);
    CHECK_FALSE(contains(text, "hidden_test.cpp"));
    for (auto& name : hidden) CHECK_FALSE(contains(text, name));
  }
}

// Right for the three calls the public tests make, then runs jobs on the
// caller's goroutine: only the hidden "fresh goroutine" test fails, quickly.
fs::path fails_a_hidden_test() {
  fs::path file = kUploads / "fails-a-hidden-test.cpp";
  write_file(file, R"cpp(#include "wait.hpp"

#include <atomic>
#include <goc/goc.hpp>

void run_and_wait(std::function<void()> job) {
  static std::atomic<int> calls{0};
  if (++calls > 3) {
    job();
    return;
  }
  goc::WaitGroup wg;
  wg.add(1);
  goc::go([&wg, job = std::move(job)] {
    job();
    wg.done();
  });
  wg.wait();
}
)cpp");
  return file;
}

}  // namespace

TEST_CASE("package gradescope --only takes lessons and exercise ids into both scripts, and refuses a name that "
          "matches nothing; hidden test names stay hidden unless asked") {
  fs::path dir = kWork.parent_path() / "gradescope-only";
  fs::remove_all(dir);
  fs::create_directories(dir);
  RunResult ok = run_script({GRADER_BINARY, "--root", kCourse.string(), "package", "gradescope", "--allow-dirty",
                             (dir / "two.zip").string(), "--only", "02-channels", "--only", kExercise}, {});
  INFO(ok.output);
  REQUIRE(ok.ok());
  std::string setup = run_script({"unzip", "-p", (dir / "two.zip").string(), "setup.sh"}, {}).output;
  CHECK(contains(setup, "ONLY=(--only '01-goroutines/01-wait-dont-sleep' --only '02-channels/01-ping-pong' "
                        "--only '02-channels/02-generator-sum' --only '02-channels/03-comma-ok-drain' "
                        "--only '02-channels/04-semaphore')"));
  std::string run = run_script({"unzip", "-p", (dir / "two.zip").string(), "run_autograder"}, {}).output;
  CHECK(contains(run, "ONLY=(--only '01-goroutines/01-wait-dont-sleep' --only '02-channels/01-ping-pong'"));
  CHECK(contains(run, "NAMES=(--hide-hidden-test-names)"));
  RunResult named = run_script({GRADER_BINARY, "--root", kCourse.string(), "package", "gradescope", "--allow-dirty",
                                (dir / "named.zip").string(), "--show-hidden-test-names"}, {});
  REQUIRE(named.ok());
  std::string all = run_script({"unzip", "-p", (dir / "named.zip").string(), "run_autograder"}, {}).output;
  CHECK(contains(all, "ONLY=()"));
  CHECK(contains(all, "NAMES=()"));
  RunResult bad = run_script({GRADER_BINARY, "--root", kCourse.string(), "package", "gradescope", "--allow-dirty",
                              (dir / "bad.zip").string(), "--only", "06-generics"}, {});
  CHECK(bad.exit_code == 2);
  CHECK(contains(bad.output, "no exercise matches '06-generics'"));
  CHECK(contains(bad.output, "Name a lesson (01-goroutines, 02-channels"));
  CHECK(contains(bad.output, "`./course list` shows every exercise"));
  CHECK_FALSE(fs::exists(dir / "bad.zip"));
}

TEST_CASE("setup.sh installs nothing when the packages are there, gets full marks from the reference solutions, then "
          "removes them") {
  const Setup& s = setup_once();
  INFO(s.result.output);
  REQUIRE(s.result.ok());
  CHECK(contains(s.zip_listing, "course/exercises/manifest.json"));
  CHECK(contains(s.zip_listing, "course/grader/symbol-allowlist.json"));
  CHECK_FALSE(contains(s.result.output, "== Installing"));
  CHECK(contains(s.result.output, "10/10"));
  CHECK(contains(s.result.output, "The autograder is ready"));
  CHECK_FALSE(fs::exists(kWork / "autograder/source/course/solutions"));
}

TEST_CASE("a folder upload is graded on the packaged exercise only, out of 10, in Gradescope's schema, "
          "without naming hidden tests to the student") {
  Graded g = upload({{"mine/" + kExercise + "/wait.cpp", fails_a_hidden_test()}});
  INFO(g.text);
  CHECK_FALSE(contains(g.log, "Building the instructor's"));  // the setup's caches, as they are
  check_gradescope_schema(g.results);
  check_score_is_exact_sum(g);
  CHECK(max_total(g.results) == 10);
  bool hidden_failed = false;
  for (auto& t : g.results["tests"]) {
    CHECK(starts_with(t["name"].get<std::string>(), kExercise + ": "));
    if (t["visibility"] == "after_published" && t["status"] == "failed") hidden_failed = true;
  }
  REQUIRE(hidden_failed);  // else the check below proves nothing
  CHECK(contains(g.results["output"].get<std::string>(), "a hidden test failed"));
  check_hidden_tests_unnamed(g.results);
}

TEST_CASE("a flat upload of every exercise's files gets full marks on the packaged exercise, with no rows for the "
          "others") {
  std::vector<std::pair<std::string, fs::path>> files;
  for (auto& entry : fs::recursive_directory_iterator(kCourse / "solutions"))
    if (entry.is_regular_file()) files.emplace_back(entry.path().filename().string(), entry.path());
  REQUIRE(files.size() >= 20);
  Graded g = upload(files);
  INFO(g.text);
  check_gradescope_schema(g.results);
  check_score_is_exact_sum(g);
  CHECK(g.results["score"].get<double>() == 10);
  CHECK(max_total(g.results) == 10);
  for (auto& t : g.results["tests"]) CHECK(starts_with(t["name"].get<std::string>(), kExercise + ": "));
  CHECK_FALSE(contains(g.text, "not submitted"));
}

fs::path does_not_compile() {
  fs::path broken = kUploads / "broken-wait.cpp";
  write_file(broken, read_file(kCourse / "solutions" / kExercise / "wait.cpp") + "\nthis does not compile\n");
  return broken;
}

TEST_CASE("an upload that does not compile scores 0 of 10 and says it did not compile") {
  Graded g = upload({{"exercises/" + kExercise + "/wait.cpp", does_not_compile()}});
  INFO(g.text);
  check_gradescope_schema(g.results);
  check_score_is_exact_sum(g);
  CHECK(g.results["score"].get<double>() == 0);
  CHECK(max_total(g.results) == 10);
  CHECK(contains(g.results["output"].get<std::string>(), "compile error"));
  check_hidden_tests_unnamed(g.results);
}

TEST_CASE("setup.sh fails and names the exercise when a reference solution falls short of full marks") {
  REQUIRE(setup_once().result.ok());
  fs::path solution = kWork / "autograder/source/course/solutions" / kExercise / "wait.cpp";
  fs::create_directories(solution.parent_path());
  fs::copy_file(does_not_compile(), solution);
  RunResult again = run_script({"bash", (kWork / "autograder/source/setup.sh").string()}, harness_env());
  INFO(again.output);
  CHECK(again.exit_code != 0);
  CHECK(contains(again.output, "error: " + kExercise + " got "));
  CHECK(contains(again.output, "not full marks"));
  CHECK(contains(again.output, "did not get full marks"));
  CHECK(contains(again.output, "compile error"));  // and why
}
