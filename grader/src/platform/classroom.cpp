#include "classroom.hpp"

#include <cmath>
#include <sstream>

namespace grader {

namespace {

std::string yaml_quote(const std::string& s) { return "'" + replace_all(s, "'", "''") + "'"; }

// Letters and digits only ("ex0101"): the reporter looks a runner's result up
// in the variable `<id>.trim().toUpperCase() + "_RESULTS"`, and when anything
// goes wrong it blames the runners list unless it matches /^[a-zA-Z0-9,]+$/,
// so an id with a hyphen or underscore would hide the real error.
std::string step_id(const Exercise& e) { return replace_all(e.key, "_", ""); }

std::string reporter_variable(const std::string& id) {
  std::string var = id;
  for (auto& c : var) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return var + "_RESULTS";
}

// The command grader reads max-score with parseInt: a fraction would be cut.
std::string whole_max_score(const Exercise& e) {
  double points = e.points.public_tests + e.points.race;
  if (points != std::floor(points))
    throw UserError("GitHub Classroom scores whole points only: make the public and race points of " + e.id +
                    " add up to a whole number in exercises/manifest.toml (they add up to " +
                    format_points(points) + ")");
  return format_points(points);
}

void write_header(std::ostringstream& y) {
  y << "# GitHub Classroom autograding: the public checks of every exercise (tests and\n"
       "# race detector). Hidden tests are not here: the instructor's grader holds them.\n"
       "# Each step's timeout is in minutes; the first one also builds the grader and\n"
       "# the runtime (plain and ThreadSanitizer) on a fresh runner.\n"
       "name: Autograding Tests\n"
       "on: [push, workflow_dispatch, repository_dispatch]\n"
       "permissions:\n  checks: write\n  actions: read\n  contents: read\n"
       "jobs:\n  run-autograding-tests:\n    runs-on: ubuntu-latest\n"
       "    if: github.actor != 'github-classroom[bot]'\n    steps:\n"
       "    - name: Checkout code\n      uses: actions/checkout@v4\n"
       "    - name: Install the course's packages\n      run: sudo ./course setup\n"
       "    - name: Let ThreadSanitizer start on this kernel\n"
       "      run: sudo sysctl vm.mmap_rnd_bits=28 || true\n";
}

}  // namespace

std::string classroom_workflow(const Manifest& m) {
  std::ostringstream y;
  write_header(y);
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < m.exercises.size(); ++i) {
    const Exercise& e = m.exercises[i];
    std::string id = step_id(e);
    ids.push_back(id);
    int minutes = i == 0 ? kClassroomFirstStepMinutes : kClassroomStepMinutes;
    y << "    - name: " << yaml_quote(e.id) << "\n"
      << "      id: " << id << "\n"
      << "      uses: classroom-resources/autograding-command-grader@v1\n"
      << "      with:\n"
      << "        test-name: " << yaml_quote(e.id + ": " + e.title) << "\n"
      << "        setup-command: ''\n"
      << "        command: ./course check " << e.id << "\n"
      << "        timeout: " << minutes << "\n"
      << "        max-score: " << whole_max_score(e) << "\n";
  }
  y << "    - name: Autograding Reporter\n"
       "      uses: classroom-resources/autograding-grading-reporter@v1\n"
       "      env:\n";
  for (auto& id : ids) y << "        " << reporter_variable(id) << ": \"${{steps." << id << ".outputs.result}}\"\n";
  y << "      with:\n        runners: " << join(ids, ",") << "\n";
  return y.str();
}

}  // namespace grader
