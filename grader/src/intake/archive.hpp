// Unpacking submitted archives (.zip, .tar.gz, .tgz, .tar) without letting an
// entry escape the destination.
#pragma once

#include "process.hpp"
#include "util.hpp"

namespace grader {

bool is_archive(const fs::path& path);

/// Unpacks `archive` into the empty folder `dest`. Refuses the whole archive
/// (UserError naming the entries) when an entry is absolute, climbs out with
/// "..", or is a link or device. Runs the unpacker under `sandbox` limits.
void extract_archive(const fs::path& archive, const fs::path& dest, const Sandbox& sandbox);

/// Why an archive entry name is unsafe, or empty when it is fine.
std::string unsafe_entry_reason(std::string_view name);

}  // namespace grader
