// Building student code fast: the instructor's tree is configured and built
// once per variant (plain, tsan) into a cache; each submission then compiles
// only its student files with the cache's exact compile commands and links
// them against the cache's prebuilt objects (tests, runtime, Catch2 main).
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "manifest.hpp"
#include "process.hpp"
#include "symbol_check.hpp"

namespace grader {

enum class Variant { plain, tsan };
std::string variant_name(Variant v);

struct CompileStep {
  fs::path dir;                   ///< where the command runs
  std::vector<std::string> argv;
  std::string source;             ///< the student file it compiles (absolute, as in the cache)
  std::string student_file;       ///< its name in the manifest
  fs::path object;                ///< absolute object path in the cache
};

struct LinkStep {
  fs::path dir;
  std::vector<std::string> argv;
  fs::path binary;                ///< absolute path of the cache's own executable
};

/// How to rebuild one target with other student files.
struct Recipe {
  std::vector<CompileStep> compiles;
  LinkStep link;
};

class InstructorBuild {
 public:
  /// `compiler`: the C++ compiler to configure the cache with
  /// (choose_grading_compiler); a cache configured with another is configured
  /// and built again. Empty: CMake's own choice, for a new cache only.
  InstructorBuild(fs::path course_root, fs::path build_dir, Variant variant, fs::path compiler = {});

  /// Configures (first time, with GOC_GRADER_CACHE=ON) and builds the student
  /// programs of `exercises` from the skeletons (K_student_tests where the
  /// course has it, else K_student_public and K_student_hidden), under a file
  /// lock so that concurrent graders share the cache. With `all_exercises` it builds one of
  /// the course's aggregate targets instead (one make pass, not 40): the plain
  /// cache goc_student_programs, the ThreadSanitizer cache only
  /// goc_student_program_inputs (what the programs link besides the student's
  /// files). The make pass is skipped when no input changed since the last
  /// successful one, or since the last one that failed on the course's own
  /// code (failed_on_course_code), whose warning is then repeated.
  /// Throws UserError with the build log when configuring
  /// fails; a target that fails to build is reported by recipe() and
  /// test_names().
  void prepare(const std::vector<const Exercise*>& exercises, bool all_exercises, int jobs, bool quiet);

  Variant variant() const { return variant_; }
  /// The compiler the cache is configured with (after prepare()).
  const fs::path& compiler() const { return compiler_; }
  const fs::path& build_dir() const { return build_dir_; }
  /// The exercises folder the cache compiled student files from (GOC_STUDENT_DIR).
  const fs::path& student_dir() const { return student_dir_; }

  bool has_target(const std::string& target) const;
  /// The recipe, or an explanation of why the fast path cannot be used.
  std::optional<Recipe> recipe(const Exercise& e, const std::string& target, std::string& why) const;
  /// The test case names of `target` (listed from the instructor's own build);
  /// with a `file_tag` such as "[#public_test]", only those of that source file
  /// (Catch2's -#: tests in public_test.cpp get the tag #public_test).
  std::vector<std::string> test_names(const std::string& target, std::string& error,
                                      const std::string& file_tag = "");

  /// Builds `targets` now, if the make pass of prepare() did not (the
  /// programs of the two-program fallback). Under the cache's file lock; each
  /// set is built once per grader, and not at all when it was built from the
  /// same course files before (.grader-built-<targets joined by +>, beside
  /// prepare()'s .grader-built). False (with the
  /// log in `error`) if the build failed.
  bool ensure_built(const std::vector<std::string>& targets, std::string& error);

  /// Whether the instructor's program `target` runs exactly the test cases of
  /// each of `lists` when given that list (Catch2's --input-file). The grader
  /// then links one program with both test objects per exercise and variant,
  /// and runs it once per list; otherwise it uses one program per list.
  bool selects_exactly(const std::string& target, const std::vector<std::vector<std::string>>& lists);

  /// The last build log (for explaining instructor-side failures).
  const std::string& build_log() const { return build_log_; }

 private:
  void load_metadata();
  /// Configures the cache if it is not a grader cache yet; returns CMakeCache.txt.
  std::string configure_once(bool quiet) const;
  /// The targets that build the programs of `exercises` (one aggregate for all).
  std::vector<std::string> targets_to_build(const std::vector<const Exercise*>& exercises,
                                            bool all_exercises) const;
  /// Says which targets failed, after a make -k pass that did not succeed.
  void warn_partial_build(const std::string& log) const;
  /// One make pass over `targets` (-k: one that fails does not stop the others).
  RunResult build_targets(const std::vector<std::string>& targets) const;
  /// The link command of `target` (from its link.txt), or nothing.
  std::optional<LinkStep> link_step(const std::string& target) const;
  /// link_step() with the driver's own linker command in place of the
  /// driver, where linker_command_of() finds one (asked once per target).
  std::optional<LinkStep> direct_link_step(const std::string& target) const;
  /// The executable `target` links to, or empty.
  fs::path binary_of(const std::string& target) const;

  fs::path root_, build_dir_;
  Variant variant_;
  fs::path compiler_;
  fs::path student_dir_;
  std::map<std::string, fs::path> link_files_;  ///< target -> its link.txt
  struct Entry {
    fs::path dir, file, output;
    std::vector<std::string> argv;
  };
  std::vector<Entry> entries_;
  std::string build_log_;
  std::string inputs_;  ///< inputs_fingerprint() of the course, set by prepare()
  std::mutex names_mutex_;
  std::map<std::string, std::vector<std::string>> names_;
  std::map<std::string, bool> selects_;
  /// Per target: the linker command its driver runs (linker_command_of), or
  /// nothing when the driver itself must link.
  mutable std::mutex linkers_mutex_;
  mutable std::map<std::string, std::optional<std::vector<std::string>>> linkers_;
  std::mutex build_mutex_;
  std::map<std::string, std::pair<bool, std::string>> built_;  ///< ensure_built() results
  int jobs_ = 1;
};

/// A fingerprint of what the instructor build depends on: every file of the
/// course tree at `root` (path, size, modification time) except .git, the
/// top-level build* folders and `build_dir`; every file of the folders
/// outside `root` that the build compiles from (source_dirs_outside); the
/// `compiler`; and the package database (an apt upgrade of Catch2 or the
/// compiler changes it).
std::string inputs_fingerprint(const fs::path& root, const fs::path& build_dir, const std::string& compiler);

/// The folders outside `root` named by `build_dir`/compile_commands.json as
/// a source file's folder or an -I folder, except /usr's; none without it.
std::vector<fs::path> source_dirs_outside(const fs::path& root, const fs::path& build_dir);

/// Whether a failed make pass failed on the course's own code only: its log
/// has a compiler error in a file under `root`, and nothing that may come from
/// the host (a compiler killed or crashed, a full disk, memory short). Such a
/// failure repeats until a file changes, so prepare() remembers it.
bool failed_on_course_code(const std::string& log, const fs::path& root);

/// Test case names a Catch2 binary declares (v2 or v3), or empty with `error` set.
std::vector<std::string> list_test_cases(const fs::path& binary, const fs::path& cwd, std::string& error,
                                         const std::vector<std::string>& extra_args = {});

/// Compiles and links one target of one exercise for a submission, following
/// `recipe` with the student files taken from `overlay_root`/<id>/.
struct BuildOutcome {
  bool ok = false;
  bool compile_failed = false;    ///< the student's code did not compile (their fault)
  bool refused = false;           ///< the symbol check refused a student file (log says why)
  /// clang++, the grading compiler, refused a student file that g++ (what the
  /// students' own check builds with) accepts: the host's problem, not theirs.
  bool compilers_disagree = false;
  std::string log;                ///< compiler/linker output
  fs::path binary;
};

class SubmissionBuilder {
 public:
  SubmissionBuilder(fs::path work_dir, fs::path overlay_root, Sandbox sandbox, double timeout);
  BuildOutcome build(const Exercise& e, const std::string& target, const Recipe& recipe,
                     Variant variant);
  /// Drops the remembered failed compiles, so that the next build() runs them
  /// again (after a failure the host caused).
  void forget_failures();
  /// Checks each student file and object with `policy` before linking
  /// (compile/symbol_check); without this call nothing is checked.
  void check_symbols_with(SymbolPolicy policy) { policy_ = std::move(policy); }

 private:
  void compile_and_check(const Exercise& e, const CompileStep& step, const fs::path& dir, RunOptions o,
                         const std::string& signature);
  /// Whether the failed clang++ compile `o` passes g++'s syntax check.
  bool gcc_accepts_what_clang_refused(RunOptions o) const;
  /// Why the student's file or object is refused, or empty.
  std::string refusal_before_compiling(const Exercise& e, const fs::path& source) const;
  std::string refusal_of_object(const Exercise& e, const fs::path& source, const fs::path& object) const;

  std::optional<SymbolPolicy> policy_;
  std::map<std::string, std::string> refusals_;  ///< by compile command, like objects_
  fs::path work_, overlay_;
  Sandbox sandbox_;
  double timeout_;
  /// Compiled objects, keyed by the compile command (public and hidden share them).
  std::map<std::string, std::pair<bool, fs::path>> objects_;
  std::map<std::string, std::string> compile_logs_;
  std::map<std::string, bool> disagreements_;  ///< by compile command: see BuildOutcome
};

}  // namespace grader
