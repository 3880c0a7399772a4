// Lenient names: an exercise or a lesson example may be named by its folder
// (tab-completed, with or without `exercises/` and a trailing `/`), its
// short name, its numbers or its build key; a typo gets the nearest name.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace grader {

/// Something with a canonical id ("01-goroutines/01-wait-dont-sleep") and
/// every other spelling that names it.
struct Named {
  std::string id;
  std::vector<std::string> spellings;  ///< normalized (see normalize_name)
};

/// Lower case, '_' as '-', '\' as '/', without "./", without everything up
/// to and including "exercises/", "lessons/" or "examples/", without trailing
/// '/' and a ".cpp" ending: "exercises/01-goroutines/01-wait-dont-sleep/"
/// becomes "01-goroutines/01-wait-dont-sleep".
std::string normalize_name(std::string_view name);

/// The spellings of item `item` of group `group` ("01-goroutines",
/// "01-wait-dont-sleep"): "01-goroutines/01-wait-dont-sleep",
/// "01-wait-dont-sleep", "wait-dont-sleep", "goroutines/wait-dont-sleep",
/// "01-goroutines/01", "01/01", "1/1", "01-01", ... all normalized.
std::vector<std::string> spellings_of(std::string_view group, std::string_view item);

/// The spellings of a group on its own: "01-goroutines", "goroutines", "01", "1".
std::vector<std::string> group_spellings(std::string_view group);

/// Levenshtein distance (insertions, deletions, substitutions).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The ids of the items one of whose spellings is `name` (normalized first).
std::vector<std::string> exact_matches(const std::vector<Named>& items, std::string_view name);

/// The id of the item with the spelling nearest to `name`, when one is near
/// enough to be a typo of it (a third of the name's length, at least 2
/// edits); "" otherwise.
std::string nearest_name(const std::vector<Named>& items, std::string_view name);

}  // namespace grader
