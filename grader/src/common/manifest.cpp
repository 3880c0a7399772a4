#include "manifest.hpp"

#include <algorithm>
#include <regex>
#include <set>
#include <optional>

#include "data_file.hpp"
#include "names.hpp"

namespace grader {

const Exercise* Manifest::find(std::string_view name) const {
  for (auto& e : exercises)
    if (e.id == name || e.key == name) return &e;
  return nullptr;
}

int Manifest::schedules_for(const Exercise& e, std::optional<int> override) const {
  if (override) return *override;
  return e.schedules.value_or(schedules);
}

double Manifest::max_points() const {
  double sum = 0;
  for (auto& e : exercises) sum += e.points.total();
  return sum;
}

namespace {

using nlohmann::json;

// The manifest's problems, each with where it is; all are reported at once.
using Problems = std::vector<std::string>;

std::vector<std::string> string_array(const json& obj, const char* key, const std::string& where,
                                      Problems& problems) {
  std::vector<std::string> out;
  const json* node = member(obj, key);
  if (!node) return out;
  if (!node->is_array()) {
    problems.push_back(where + " must be an array of strings");
    return out;
  }
  for (auto& item : *node) {
    if (item.is_string())
      out.push_back(item.get<std::string>());
    else
      problems.push_back(where + " must hold strings only");
  }
  return out;
}

double number(const json& obj, const char* key, const std::string& where, Problems& problems) {
  const json* v = member(obj, key);
  if (!v) return 0;
  if (!v->is_number()) {
    problems.push_back(where + " must be a number");
    return 0;
  }
  double d = v->get<double>();
  if (d < 0) problems.push_back(where + " must not be negative");
  return d;
}

// `schedules = N`: a whole number from 0 to kMaxSchedules; nullopt when absent.
std::optional<int> read_schedules(const json& table, const std::string& where, Problems& problems) {
  const json* v = member(table, "schedules");
  if (!v) return std::nullopt;
  if (!v->is_number_integer() || v->get<long long>() < 0 || v->get<long long>() > kMaxSchedules) {
    problems.push_back(where + ": schedules must be a whole number from 0 (none) to " +
                       std::to_string(kMaxSchedules));
    return std::nullopt;
  }
  return static_cast<int>(v->get<long long>());
}

Points read_points(const json& x, const std::string& where, Problems& problems) {
  Points p;
  const json* points = member(x, "points");
  if (!points || !points->is_object()) {
    problems.push_back(where + ": points = { public, hidden, race } is missing");
    return p;
  }
  p.public_tests = number(*points, "public", where + ": points.public", problems);
  p.hidden_tests = number(*points, "hidden", where + ": points.hidden", problems);
  p.race = number(*points, "race", where + ": points.race", problems);
  return p;
}

std::vector<std::string> read_student_files(const json& x, const std::string& where, Problems& problems) {
  static const std::regex file_form(R"([A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*)");
  auto files = string_array(x, "student_files", where + ": student_files", problems);
  if (files.empty()) problems.push_back(where + ": student_files is missing or empty");
  for (auto& f : files)
    if (!std::regex_match(f, file_form) || contains(f, ".."))
      problems.push_back(where + ": student file '" + f + "' must be a plain relative path");
  return files;
}

// One [[exercise]] entry (the n-th); nullopt when it is too broken to list.
std::optional<Exercise> read_exercise(const json& x, std::size_t n, Problems& problems) {
  static const std::regex id_form(R"(\d\d-[a-z0-9-]+/\d\d-[a-z0-9-]+)");
  std::string where = "[[exercise]] #" + std::to_string(n);
  if (!x.is_object()) {
    problems.push_back(where + " is not a table");
    return std::nullopt;
  }
  Exercise e;
  e.id = text_member(x, "id", "");
  if (!e.id.empty()) where += " (" + e.id + ")";
  if (!std::regex_match(e.id, id_form)) {
    problems.push_back(where + ": id must look like NN-topic/MM-slug");
    return std::nullopt;
  }
  e.key = exercise_key(e.id);
  e.title = text_member(x, "title", e.id);
  e.lesson = text_member(x, "lesson", e.id.substr(0, e.id.find('/')));
  e.go_idea = text_member(x, "go_idea", "");
  e.student_files = read_student_files(x, where, problems);
  e.hints = string_array(x, "hints", where + ": hints", problems);
  e.allow_symbols = string_array(x, "allow_symbols", where + ": allow_symbols", problems);
  e.points = read_points(x, where, problems);
  e.schedules = read_schedules(x, where, problems);
  return e;
}

void check_unique(const std::vector<Exercise>& exercises, Problems& problems) {
  std::set<std::string> ids, keys;
  for (auto& e : exercises) {
    std::string where = "[[exercise]] (" + e.id + ")";
    if (!ids.insert(e.id).second) problems.push_back(where + ": id appears twice");
    if (!keys.insert(e.key).second) problems.push_back(where + ": key " + e.key + " appears twice");
  }
}

Manifest read_manifest(const json& t, Problems& problems) {
  Manifest m;
  const json* course = member(t, "course");
  m.title = text_member(course ? *course : json::object(), "title", "Go-style concurrency in C++");
  if (course) m.schedules = read_schedules(*course, "[course]", problems).value_or(0);
  if (const json* release = member(t, "release"))
    m.release_exclude = string_array(*release, "exclude", "[release] exclude", problems);
  const json* list = member(t, "exercise");
  if (!list || !list->is_array()) {
    problems.push_back("no [[exercise]] entries");
    return m;
  }
  std::size_t n = 0;
  for (auto& node : *list)
    if (auto e = read_exercise(node, ++n, problems)) m.exercises.push_back(std::move(*e));
  check_unique(m.exercises, problems);
  return m;
}

}  // namespace

Manifest load_manifest(const fs::path& path) {
  Problems problems;
  Manifest m = read_manifest(read_data_file(path), problems);
  if (!problems.empty())
    throw UserError(path.string() + " is not valid:\n  " + join(problems, "\n  "));
  return m;
}

namespace {

// Each exercise under every spelling of its name, and each lesson under the
// spellings of its folder (it names all of its exercises).
std::vector<Named> exercise_names(const Manifest& m) {
  std::vector<Named> out;
  for (auto& e : m.exercises) {
    std::string group = e.id.substr(0, e.id.find('/'));
    Named n{e.id, spellings_of(group, e.id.substr(e.id.find('/') + 1))};
    n.spellings.push_back(normalize_name(e.key));
    out.push_back(std::move(n));
  }
  return out;
}

std::vector<Named> lesson_names(const Manifest& m) {
  std::vector<Named> out;
  for (auto& e : m.exercises) {
    std::string group = e.id.substr(0, e.id.find('/'));
    for (const std::string& lesson : {group, e.lesson}) {
      Named n{e.id, group_spellings(lesson)};
      out.push_back(std::move(n));
    }
  }
  return out;
}

std::vector<std::string> ids_named(const Manifest& m, const std::string& name) {
  auto ids = exact_matches(exercise_names(m), name);
  if (ids.empty()) ids = exact_matches(lesson_names(m), name);
  std::string n = normalize_name(name);
  if (ids.empty() && !n.empty())
    for (auto& e : m.exercises)
      if (starts_with(e.id, n)) ids.push_back(e.id);
  // A file of the exercise, as a shell completes it: its folder names it.
  if (ids.empty() && std::count(n.begin(), n.end(), '/') >= 2) return ids_named(m, n.substr(0, n.rfind('/')));
  return ids;
}

std::string no_match_message(const Manifest& m, const std::string& name) {
  std::vector<std::string> lessons;
  for (auto& e : m.exercises)
    if (lessons.empty() || lessons.back() != e.lesson) lessons.push_back(e.lesson);
  std::vector<Named> all = exercise_names(m);
  for (auto& l : lesson_names(m)) all.push_back(Named{l.id.substr(0, l.id.find('/')), l.spellings});
  std::string near = nearest_name(all, name);
  std::string text = "no exercise matches '" + name + "'.";
  if (!near.empty()) text += " Did you mean " + near + "?";
  return text + "\n  Name a lesson (" + join(lessons, ", ") +
         "), an exercise (01-goroutines/01-wait-dont-sleep, or just wait-dont-sleep) or its key (ex_01_01);\n"
         "  `./course list` shows every exercise.";
}

}  // namespace

std::vector<const Exercise*> select_exercises(const Manifest& m,
                                              const std::vector<std::string>& only) {
  std::vector<const Exercise*> out;
  if (only.empty()) {
    for (auto& e : m.exercises) out.push_back(&e);
    return out;
  }
  std::set<std::string> chosen;
  for (auto& name : only) {
    auto ids = ids_named(m, name);
    if (ids.empty()) throw UserError(no_match_message(m, name));
    chosen.insert(ids.begin(), ids.end());
  }
  for (auto& e : m.exercises)
    if (chosen.count(e.id)) out.push_back(&e);
  return out;
}

}  // namespace grader
