// Which C++ compiler the grading cache is built with, and so every student
// file of every submission: clang++ where it is installed with its
// ThreadSanitizer runtime (it compiles a student file against the
// precompiled <goc/goc.hpp> in about half the time g++ takes), else the
// system's c++. And what to do when the two compilers disagree about a file.
#pragma once

#include <string>
#include <vector>

#include "util.hpp"

namespace grader {

/// The compiler `requested` names, as a path CMake can be given:
/// - "auto": $CXX when it is set; else clang++ when it can build a program
///   with -fsanitize=thread (checked in `scratch`; the answer is remembered
///   in the file `memo` until clang++ or the installed packages change, or
///   without a memo once per clang++ and process); else c++.
/// - anything else: that program, found on PATH.
/// Throws UserError when the named program is not there.
fs::path choose_grading_compiler(const std::string& requested, const fs::path& scratch, const fs::path& memo = {});

/// Whether `compiler` is clang++ (by its file name).
bool is_clang(const fs::path& compiler);

/// The students' own `./course check` builds with the system's c++ (g++ on
/// Debian and Ubuntu). When clang++ refuses a file, this is the command that
/// asks g++ whether it accepts it: `compile_argv` (a clang++ command line of
/// the cache) with g++ in front, clang's precompiled-header options dropped
/// (-Xclang pairs) and -fsyntax-only in place of the output. Empty when g++
/// is not installed.
std::vector<std::string> gcc_syntax_check_command(const std::vector<std::string>& compile_argv);

}  // namespace grader
