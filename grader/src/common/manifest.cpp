#include "manifest.hpp"

#include <regex>
#include <set>
#include <toml++/toml.h>

namespace grader {

const Exercise* Manifest::find(std::string_view name) const {
  for (auto& e : exercises)
    if (e.id == name || e.key == name) return &e;
  return nullptr;
}

double Manifest::max_points() const {
  double sum = 0;
  for (auto& e : exercises) sum += e.points.total();
  return sum;
}

namespace {

std::vector<std::string> string_array(const toml::node_view<const toml::node>& node,
                                      const std::string& where, std::vector<std::string>& problems) {
  std::vector<std::string> out;
  if (!node) return out;
  auto* arr = node.as_array();
  if (!arr) {
    problems.push_back(where + " must be an array of strings");
    return out;
  }
  for (auto& item : *arr) {
    if (auto s = item.value<std::string>())
      out.push_back(*s);
    else
      problems.push_back(where + " must hold strings only");
  }
  return out;
}

double number(const toml::node_view<const toml::node>& node, const std::string& where,
              std::vector<std::string>& problems) {
  if (!node) return 0;
  if (auto v = node.value<double>()) {
    if (*v < 0) problems.push_back(where + " must not be negative");
    return *v;
  }
  problems.push_back(where + " must be a number");
  return 0;
}

}  // namespace

Manifest load_manifest(const fs::path& path) {
  toml::table table;
  try {
    table = toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    throw UserError(path.string() + ":" + std::to_string(where.line) + ":" +
                    std::to_string(where.column) + ": " + std::string(e.description()));
  }
  Manifest m;
  std::vector<std::string> problems;
  const toml::table& t = table;
  m.title = t["course"]["title"].value_or(std::string("Go-style concurrency in C++"));
  m.release_exclude = string_array(t["release"]["exclude"], "[release] exclude", problems);
  auto* list = t["exercise"].as_array();
  if (!list) problems.push_back("no [[exercise]] entries");
  static const std::regex id_form(R"(\d\d-[a-z0-9-]+/\d\d-[a-z0-9-]+)");
  static const std::regex file_form(R"([A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*)");
  std::set<std::string> ids, keys;
  if (list) {
    std::size_t n = 0;
    for (auto& node : *list) {
      ++n;
      auto* ex = node.as_table();
      std::string where = "[[exercise]] #" + std::to_string(n);
      if (!ex) {
        problems.push_back(where + " is not a table");
        continue;
      }
      Exercise e;
      const toml::table& x = *ex;
      e.id = x["id"].value_or(std::string());
      if (!e.id.empty()) where += " (" + e.id + ")";
      if (!std::regex_match(e.id, id_form)) {
        problems.push_back(where + ": id must look like NN-topic/MM-slug");
        continue;
      }
      e.key = exercise_key(e.id);
      if (!ids.insert(e.id).second) problems.push_back(where + ": id appears twice");
      if (!keys.insert(e.key).second) problems.push_back(where + ": key " + e.key + " appears twice");
      e.title = x["title"].value_or(e.id);
      e.lesson = x["lesson"].value_or(e.id.substr(0, e.id.find('/')));
      e.go_idea = x["go_idea"].value_or(std::string());
      e.student_files = string_array(x["student_files"], where + ": student_files", problems);
      if (e.student_files.empty()) problems.push_back(where + ": student_files is missing or empty");
      for (auto& f : e.student_files)
        if (!std::regex_match(f, file_form) || contains(f, ".."))
          problems.push_back(where + ": student file '" + f + "' must be a plain relative path");
      e.hints = string_array(x["hints"], where + ": hints", problems);
      e.allow_symbols = string_array(x["allow_symbols"], where + ": allow_symbols", problems);
      auto points = x["points"];
      if (!points.as_table()) problems.push_back(where + ": points = { public, hidden, race } is missing");
      e.points.public_tests = number(points["public"], where + ": points.public", problems);
      e.points.hidden_tests = number(points["hidden"], where + ": points.hidden", problems);
      e.points.race = number(points["race"], where + ": points.race", problems);
      m.exercises.push_back(std::move(e));
    }
  }
  if (!problems.empty())
    throw UserError(path.string() + " is not valid:\n  " + join(problems, "\n  "));
  return m;
}

std::vector<const Exercise*> select_exercises(const Manifest& m,
                                              const std::vector<std::string>& only) {
  std::vector<const Exercise*> out;
  if (only.empty()) {
    for (auto& e : m.exercises) out.push_back(&e);
    return out;
  }
  std::set<std::string> chosen;
  for (auto& name : only) {
    bool matched = false;
    for (auto& e : m.exercises) {
      if (e.id == name || e.key == name || e.lesson == name || starts_with(e.id, name + "/") ||
          starts_with(e.id, name)) {
        chosen.insert(e.id);
        matched = true;
      }
    }
    if (!matched) throw UserError("no exercise matches '" + name + "' (see `list`)");
  }
  for (auto& e : m.exercises)
    if (chosen.count(e.id)) out.push_back(&e);
  return out;
}

}  // namespace grader
