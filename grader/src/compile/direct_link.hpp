// Linking a student program without starting the compiler driver. clang++
// loads its two large shared libraries (LLVM and clang) each time it starts,
// about 70 ms of CPU on the development machine, only to hand a link over to
// the linker. The link command of a target does not change between
// submissions, so the grader asks the driver once what it would run (its
// -### dry run), remembers the answer in the cache, and runs that linker
// command itself for every submission.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "util.hpp"

namespace grader {

/// The commands in the output of a clang driver's -### dry run: each line
/// that starts with a space and a double quote is one command, its words
/// quoted, with \" \\ and \$ escaped inside the quotes. Other lines (the
/// version, the target) are skipped. An unterminated quote makes the whole
/// output unreadable: nothing is returned then.
std::vector<std::vector<std::string>> parse_driver_jobs(const std::string& dry_run_output);

/// The one linker command that `driver_argv` (a clang++ link command line,
/// run in `cwd`) would run, or nothing: when the driver is not clang (g++
/// starts cheaply and its dry run names collect2, not the linker), when the
/// dry run fails or would run more than one command, or when the command it
/// names does not keep the -o output of `driver_argv`.
std::optional<std::vector<std::string>> linker_command_of(const std::vector<std::string>& driver_argv,
                                                          const fs::path& cwd);

/// linker_command_of(), remembered in the file `memo` (beside the target's
/// link.txt) for as long as the driver line, the driver's file and the
/// installed packages do not change, so that each grader run does not ask
/// again.
std::optional<std::vector<std::string>> remembered_linker_command(const fs::path& memo,
                                                                  const std::vector<std::string>& driver_argv,
                                                                  const fs::path& cwd);

}  // namespace grader
