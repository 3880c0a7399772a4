#include "compiler_choice.hpp"

#include <cstdlib>
#include <map>
#include <mutex>

#include "memo_file.hpp"
#include "process.hpp"

namespace grader {

namespace {

// Whether clang++ builds a ThreadSanitizer program here: Debian ships its
// sanitizer runtimes in a package of their own (libclang-rt-NN-dev), which
// clang++ does not pull in.
bool clang_builds_tsan(const fs::path& clang, const fs::path& scratch) {
  std::error_code ec;
  fs::create_directories(scratch, ec);
  fs::path source = scratch / "tsan-probe.cpp";
  write_file(source, "#include <thread>\nint main() { std::thread([] {}).join(); }\n");
  RunOptions o;
  o.argv = {clang.string(), "-std=c++20", "-fsanitize=thread", source.string(), "-o",
            (scratch / "tsan-probe").string()};
  o.cwd = scratch;
  o.timeout_seconds = 120;
  return run(o).ok();
}

// The probe takes seconds (it links ThreadSanitizer's runtime), so its answer
// is kept: per clang++ in this process, and in `memo` across runs until
// clang++ or the installed packages change.
bool clang_builds_tsan_remembered(const fs::path& clang, const fs::path& scratch, const fs::path& memo) {
  static std::mutex mu;
  static std::map<fs::path, bool> in_process;
  std::lock_guard lock(mu);
  if (memo.empty()) {
    auto it = in_process.find(clang);
    return it != in_process.end() ? it->second : (in_process[clang] = clang_builds_tsan(clang, scratch));
  }
  const std::string key = program_identity(clang) + "\n" + program_identity("/var/lib/dpkg/status");
  if (auto value = recall(memo, key); value && value->is_boolean()) return value->get<bool>();
  bool builds = clang_builds_tsan(clang, scratch);
  remember(memo, key, builds);
  return builds;
}

}  // namespace

fs::path choose_grading_compiler(const std::string& requested, const fs::path& scratch, const fs::path& memo) {
  if (requested != "auto") {
    fs::path named = program_path(requested);
    if (named.empty())
      throw UserError("--compiler " + requested + ": no such program on PATH; install it or name another "
                      "(clang++, g++), or leave --compiler out to let the grader choose");
    return named;
  }
  if (const char* cxx = std::getenv("CXX"); cxx && *cxx) return choose_grading_compiler(cxx, scratch, memo);
  fs::path clang = program_path("clang++");
  bool use_clang = !clang.empty() && clang_builds_tsan_remembered(clang, scratch, memo);
  fs::path pick = use_clang ? clang : program_path("c++");
  if (pick.empty()) pick = program_path("g++");
  if (pick.empty())
    throw UserError("no C++ compiler found (clang++, c++ or g++): run ./course setup, which installs g++");
  return pick;
}

bool is_clang(const fs::path& compiler) { return contains(compiler.filename().string(), "clang"); }

std::vector<std::string> gcc_syntax_check_command(const std::vector<std::string>& compile_argv) {
  fs::path gcc = program_path("g++");
  if (gcc.empty() || compile_argv.empty()) return {};
  std::vector<std::string> argv = {gcc.string()};
  for (std::size_t i = 1; i < compile_argv.size(); ++i) {
    const std::string& w = compile_argv[i];
    if (w == "-Xclang" || w == "-o") {
      ++i;  // and its argument
      continue;
    }
    if (w == "-Winvalid-pch") continue;
    argv.push_back(w);
  }
  argv.push_back("-fsyntax-only");
  return argv;
}

}  // namespace grader
