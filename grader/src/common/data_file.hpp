// The course's data files (exercises/manifest.toml, the symbol allow-list,
// the student's progress file) are TOML. Every reader gets them as one JSON
// tree from here, so a grader built without toml++ (Ubuntu 22.04, Gradescope's
// image, has no package of it) reads the JSON twins that `package gradescope`
// writes beside them (manifest.json next to manifest.toml) and nothing else
// in the grader changes.
#pragma once

#include <nlohmann/json.hpp>

#include "util.hpp"

namespace grader {

/// True when the grader was built with toml++ (GOC_GRADER_TOML, grader/CMakeLists.txt).
bool toml_supported();

/// Throws a UserError that says `what` needs toml++ and how to get it, when
/// this grader was built without it.
void require_toml(const std::string& what);

/// `text` parsed as JSON when `origin` ends in ".json", else as TOML; errors
/// name `origin` and the line.
nlohmann::json parse_data_text(std::string_view text, const std::string& origin);

/// table[key] when `table` is an object that has it, else nullptr.
const nlohmann::json* member(const nlohmann::json& table, const char* key);
/// table[key] when it is a string, else `fallback`.
std::string text_member(const nlohmann::json& table, const char* key, const std::string& fallback = "");

/// The twin of a TOML data file: the same path ending in ".json".
fs::path json_twin(const fs::path& toml_path);

/// A TOML data file: the file itself with toml++, else its JSON twin (an
/// error that says what to do when there is none).
nlohmann::json read_data_file(const fs::path& toml_path);

/// Writes the JSON twin of a TOML data file to `out` (needs toml++: this runs
/// on the instructor's machine when packaging).
void write_json_twin(const fs::path& toml_path, const fs::path& out);

/// A JSON object (tables, arrays, strings, integers, floats, booleans) as
/// TOML text (needs toml++).
std::string to_toml_text(const nlohmann::json& table);

}  // namespace grader
