#include "classroom.hpp"

#include <sstream>

namespace grader {

namespace {

std::string yaml_quote(const std::string& s) { return "'" + replace_all(s, "'", "''") + "'"; }

std::string step_id(const Exercise& e) { return replace_all(e.key, "_", "-"); }

}  // namespace

std::string classroom_workflow(const Manifest& m) {
  std::ostringstream y;
  y << "# GitHub Classroom autograding: the public checks of every exercise (tests and\n"
       "# race detector). Hidden tests are not here: the instructor's grader holds them.\n"
       "name: Autograding Tests\n"
       "on: [push, workflow_dispatch, repository_dispatch]\n"
       "permissions:\n  checks: write\n  actions: read\n  contents: read\n"
       "jobs:\n  run-autograding-tests:\n    runs-on: ubuntu-latest\n"
       "    if: github.actor != 'github-classroom[bot]'\n    steps:\n"
       "    - name: Checkout code\n      uses: actions/checkout@v4\n"
       "    - name: Install the course's packages\n      run: sudo ./course setup\n"
       "    - name: Let ThreadSanitizer start on this kernel\n"
       "      run: sudo sysctl vm.mmap_rnd_bits=28 || true\n";
  std::vector<std::string> ids;
  for (auto& e : m.exercises) {
    std::string id = step_id(e);
    ids.push_back(id);
    y << "    - name: " << yaml_quote(e.id) << "\n"
      << "      id: " << id << "\n"
      << "      uses: classroom-resources/autograding-command-grader@v1\n"
      << "      with:\n"
      << "        test-name: " << yaml_quote(e.id + ": " + e.title) << "\n"
      << "        setup-command: ''\n"
      << "        command: ./course check " << e.id << "\n"
      << "        timeout: 15\n"
      << "        max-score: " << format_points(e.points.public_tests + e.points.race) << "\n";
  }
  y << "    - name: Autograding Reporter\n"
       "      uses: classroom-resources/autograding-grading-reporter@v1\n"
       "      env:\n";
  for (auto& id : ids) {
    std::string var = replace_all(id, "-", "_");
    for (auto& c : var) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    y << "        " << var << "_RESULTS: \"${{steps." << id << ".outputs.result}}\"\n";
  }
  y << "      with:\n        runners: " << join(ids, ",") << "\n";
  return y.str();
}

}  // namespace grader
