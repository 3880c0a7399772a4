// Answers worth keeping between grader runs (what a compiler can do, which
// linker command a driver runs), each in a small JSON file with the key it
// was found under: a changed key means the answer is found again.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "util.hpp"

namespace grader {

/// The value remembered in `file` under `key`; nothing when the file is
/// missing, unreadable or holds another key.
std::optional<nlohmann::json> recall(const fs::path& file, const std::string& key);

/// Remembers `value` under `key` in `file`. Graders sharing a cache may
/// write at once: each writes a file of its own and renames it into place.
/// A folder that cannot be written is not an error (the answer is found
/// again next time).
void remember(const fs::path& file, const std::string& key, const nlohmann::json& value);

/// Part of a key that changes when the program at `path` is replaced (an
/// upgrade): its path with links resolved, and its file time.
std::string program_identity(const fs::path& path);

}  // namespace grader
