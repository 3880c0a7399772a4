// Helpers for the grader's tests: a minimal tar writer (to make archives with
// entries no well-behaved tool would write) and shell commands.
#pragma once

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "process.hpp"
#include "util.hpp"

namespace grader::testing {

#ifdef GRADER_TEST_TMP
/// An empty folder GRADER_TEST_TMP/name: the unit tests' scratch space.
inline std::filesystem::path fresh_dir(const std::string& name) {
  std::filesystem::path d = std::filesystem::path(GRADER_TEST_TMP) / name;
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}
#endif

/// Writes a ustar archive holding `files` (name -> content) verbatim, names included.
inline std::string make_tar(const std::vector<std::pair<std::string, std::string>>& files) {
  std::string out;
  for (auto& [name, content] : files) {
    char header[512] = {};
    std::snprintf(header, 100, "%s", name.c_str());
    std::snprintf(header + 100, 8, "%07o", 0644);
    std::snprintf(header + 108, 8, "%07o", 0);
    std::snprintf(header + 116, 8, "%07o", 0);
    std::snprintf(header + 124, 12, "%011lo", static_cast<unsigned long>(content.size()));
    std::snprintf(header + 136, 12, "%011o", 0);
    header[156] = '0';
    std::memcpy(header + 257, "ustar", 6);
    std::memcpy(header + 263, "00", 2);
    std::memset(header + 148, ' ', 8);
    unsigned sum = 0;
    for (unsigned char c : header) sum += c;
    std::snprintf(header + 148, 8, "%06o", sum);
    out.append(header, 512);
    out += content;
    out.append((512 - content.size() % 512) % 512, '\0');
  }
  out.append(1024, '\0');
  return out;
}

/// Runs a command (no sandbox) and returns its result.
inline RunResult sh(const std::string& script, const fs::path& cwd = fs::current_path()) {
  RunOptions o;
  o.argv = {"/bin/sh", "-c", script};
  o.cwd = cwd;
  o.timeout_seconds = 120;
  return run(o);
}

}  // namespace grader::testing
