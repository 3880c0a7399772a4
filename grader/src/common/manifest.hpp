// The course manifest (exercises/manifest.toml): exercises in course order,
// their student files, hints and points.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "util.hpp"

namespace grader {

struct Points {
  double public_tests = 0;
  double hidden_tests = 0;
  double race = 0;
  double total() const { return public_tests + hidden_tests + race; }
};

struct Exercise {
  std::string id;       ///< "01-goroutines/02-race-counter"
  std::string key;      ///< "ex_01_02"
  std::string title;
  std::string lesson;
  std::vector<std::string> student_files;
  std::string go_idea;
  std::vector<std::string> hints;
  Points points;
  /// More names its student files may use or define than the symbol check's
  /// allow-list has (grader/symbol-allowlist.toml); patterns as there.
  std::vector<std::string> allow_symbols;
  /// Its own number of seeded schedules (`schedules = N` in its table);
  /// none: the course's (Manifest::schedules).
  std::optional<int> schedules;
};

struct Manifest {
  std::string title;
  std::vector<Exercise> exercises;
  std::vector<std::string> release_exclude;  ///< optional [release] exclude = [...]
  /// How many of the fixed seeded schedules (run/schedules.hpp) the tests run
  /// under in `check` and grading: [course] schedules = N; 0 when absent.
  int schedules = 0;

  const Exercise* find(std::string_view id_or_key) const;
  double max_points() const;
  /// The number of schedules for `e`: `override` (the command line's
  /// --schedules) when given, else the exercise's own, else the course's.
  int schedules_for(const Exercise& e, std::optional<int> override = std::nullopt) const;
};

/// The largest number of schedules the manifest or --schedules may ask for.
constexpr int kMaxSchedules = 64;

/// Reads and validates the manifest; every problem found is listed in the error.
Manifest load_manifest(const fs::path& manifest_path);

/// Keeps the exercises named by `only` (ids, keys, lesson names or id prefixes);
/// all of them when `only` is empty. Unknown names are an error.
std::vector<const Exercise*> select_exercises(const Manifest& m,
                                              const std::vector<std::string>& only);

}  // namespace grader
