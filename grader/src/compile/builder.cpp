#include "builder.hpp"

#include "compiler_choice.hpp"
#include "direct_link.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "catch_report.hpp"
#include "diagnose.hpp"
#include "memo_file.hpp"

namespace grader {

std::string variant_name(Variant v) { return v == Variant::plain ? "plain" : "tsan"; }

namespace {

// Holds an exclusive lock on a file for its lifetime.
class FileLock {
 public:
  explicit FileLock(const fs::path& path) {
    fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ >= 0) flock(fd_, LOCK_EX);
  }
  ~FileLock() {
    if (fd_ >= 0) close(fd_);
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

std::string cache_value(const std::string& cache_text, const std::string& name) {
  for (auto& line : split_lines(cache_text))
    if (starts_with(line, name + ":")) {
      auto eq = line.find('=');
      if (eq != std::string::npos) return line.substr(eq + 1);
    }
  return "";
}

fs::path normal(const fs::path& dir, const std::string& p) {
  fs::path path(p);
  return (path.is_absolute() ? path : dir / path).lexically_normal();
}

RunResult run_tool(const std::vector<std::string>& argv, const fs::path& cwd, double timeout) {
  RunOptions o;
  o.argv = argv;
  o.cwd = cwd;
  o.timeout_seconds = timeout;
  o.output_cap = 4 << 20;
  return run(o);
}

// Written after the fingerprint when the make pass failed on the course's own
// code (failed_on_course_code), followed by its log.
const std::string kFailedOnCourseCode = "failed on the course's code:\n";

}  // namespace

// A make pass that failed only because the compiler refused files of the
// course (an exercise whose tests do not compile as one unit) fails the same
// way until a file changes: that one is remembered. A failure that may come
// from the host (a compiler killed for memory, a full disk, a crash) is not.
bool failed_on_course_code(const std::string& log, const fs::path& root) {
  bool course_error = false;
  for (const auto& line : split_lines(log)) {
    for (const char* host : {"Killed signal", "internal compiler error", "No space left", "Cannot allocate memory",
                             "Segmentation fault", "Bus error", "Input/output error"})
      if (contains(line, host)) return false;
    if (starts_with(line, root.string() + "/") && contains(line, ": error:")) course_error = true;
  }
  return course_error;
}

// The folders outside the course tree that its build compiles from (a course
// that takes the runtime from elsewhere, like the grader's fixture course):
// each source file's folder and each -I folder that compile_commands.json
// names outside `root`, except the system's (/usr). Without them an edit of
// the runtime would leave a remembered build, and its precompiled header,
// out of date.
std::vector<fs::path> source_dirs_outside(const fs::path& root, const fs::path& build_dir) {
  std::set<fs::path> dirs;
  auto text = try_read_file(build_dir / "compile_commands.json");
  if (!text) return {};
  // Compared as relative paths: `root` may end in a separator ("course/."
  // made absolute and normal is "/.../course/").
  auto under = [](const fs::path& p, const fs::path& dir) {
    fs::path rel = p.lexically_normal().lexically_relative(dir.lexically_normal());
    return !rel.empty() && *rel.begin() != "..";
  };
  auto outside = [&](const fs::path& p) {
    return p.is_absolute() && !under(p, root) && !under(p, "/usr") && !under(p, build_dir);
  };
  try {
    for (const auto& entry : nlohmann::json::parse(*text)) {
      fs::path file = entry.value("file", "");
      if (outside(file)) dirs.insert(file.parent_path().lexically_normal());
      std::string command = entry.value("command", "");
      std::size_t at = 0;
      while ((at = command.find("-I", at)) != std::string::npos) {
        std::size_t end = command.find(' ', at);
        fs::path dir = command.substr(at + 2, end == std::string::npos ? std::string::npos : end - at - 2);
        if (outside(dir)) dirs.insert(dir.lexically_normal());
        at += 2;
      }
    }
  } catch (const nlohmann::json::exception&) {
    return {};  // unreadable: the course tree alone, as before
  }
  // A folder inside another one listed is walked with it.
  std::vector<fs::path> out;
  for (const fs::path& d : dirs)
    if (out.empty() || !starts_with(d.string() + "/", out.back().string() + "/")) out.push_back(d);
  return out;
}

// When the fingerprint matches the one of the last successful build, prepare()
// skips the make pass: on an up-to-date cache it costs seconds of CPU (CMake's
// dependency scan of every target) and finds nothing to do.
std::string inputs_fingerprint(const fs::path& root, const fs::path& build_dir, const std::string& compiler) {
  std::hash<std::string> hash;
  std::size_t h = 0, files = 0;
  auto mix = [&](const std::string& s) { h = h * 1000003u ^ hash(s); };
  auto mix_file = [&](const fs::path& p) {
    std::error_code ec;
    auto size = fs::file_size(p, ec);
    auto time = fs::last_write_time(p, ec).time_since_epoch().count();
    mix(p.string() + "|" + std::to_string(ec ? 0 : size) + "|" + std::to_string(ec ? 0 : time));
  };
  auto mix_tree = [&](const fs::path& top) {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(top, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const fs::path& p = it->path();
      std::string name = p.filename().string();
      if (it->is_directory(ec)) {
        bool build_folder = it.depth() == 0 && starts_with(name, "build");
        if (name == ".git" || build_folder || fs::equivalent(p, build_dir, ec)) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(ec)) {
        mix_file(p);
        ++files;
      }
    }
  };
  mix_tree(root);
  for (const fs::path& dir : source_dirs_outside(root, build_dir)) mix_tree(dir);
  if (!compiler.empty()) mix_file(compiler);
  mix_file("/var/lib/dpkg/status");
  return std::to_string(files) + " files, " + std::to_string(h);
}

InstructorBuild::InstructorBuild(fs::path course_root, fs::path build_dir, Variant variant, fs::path compiler)
    : root_(fs::absolute(course_root).lexically_normal()),
      build_dir_(fs::absolute(build_dir).lexically_normal()),
      variant_(variant),
      compiler_(std::move(compiler)) {}

void InstructorBuild::prepare(const std::vector<const Exercise*>& exercises, bool all_exercises, int jobs,
                              bool quiet) {
  fs::create_directories(build_dir_);
  FileLock lock(build_dir_ / ".grader.lock");
  std::string cache = configure_once(quiet);
  if (compiler_.empty()) compiler_ = cache_value(cache, "CMAKE_CXX_COMPILER");
  load_metadata();
  jobs_ = std::max(1, jobs);
  std::vector<std::string> targets = targets_to_build(exercises, all_exercises);
  if (targets.empty()) return;
  fs::path stamp = build_dir_ / ".grader-built";
  inputs_ = inputs_fingerprint(root_, build_dir_, cache_value(cache, "CMAKE_CXX_COMPILER"));
  std::string fingerprint = inputs_ + "\ntargets: " + join(targets, " ") + "\n";
  auto last = try_read_file(stamp);
  if (last == fingerprint) return;  // nothing changed since the last full build
  if (last && starts_with(*last, fingerprint + kFailedOnCourseCode)) {
    // The same files fail the same way: say so again without the make pass.
    build_log_ = last->substr(fingerprint.size() + kFailedOnCourseCode.size());
    warn_partial_build(build_log_);
    return;
  }
  fs::remove(stamp);

  if (!quiet)
    say_line("Building the instructor's " + variant_name(variant_) +
             " objects (once; reused for every submission) ...");
  RunResult r = build_targets(targets);
  build_log_ = r.output;
  load_metadata();
  if (r.ok()) {
    write_file(stamp, fingerprint);
  } else {
    warn_partial_build(r.output);
    if (failed_on_course_code(r.output, root_))
      write_file(stamp, fingerprint + kFailedOnCourseCode + cap_text(r.output, 20000));
  }
}

std::string InstructorBuild::configure_once(bool quiet) const {
  // A cache from before GOC_GRADER_CACHE existed is configured again, once.
  auto cache = try_read_file(build_dir_ / "CMakeCache.txt");
  bool same_compiler = cache && (compiler_.empty() || cache_value(*cache, "CMAKE_CXX_COMPILER") == compiler_.string());
  if (cache && cache_value(*cache, "GOC_GRADER_CACHE") == "ON" && same_compiler) return *cache;
  if (cache && !same_compiler) {
    // CMake keeps the compiler it first found: switching needs a fresh configure.
    fs::remove(build_dir_ / "CMakeCache.txt");
    fs::remove_all(build_dir_ / "CMakeFiles");
  }
  if (!quiet)
    say_line("Configuring the instructor build (" + variant_name(variant_) + ") in " +
             build_dir_.string() + (compiler_.empty() ? "" : " with " + compiler_.filename().string()) + " ...");
  std::vector<std::string> argv = {"cmake", "-S", root_.string(), "-B", build_dir_.string(), "-G", "Unix Makefiles",
                                   "-DCMAKE_BUILD_TYPE=Debug", "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON",
                                   "-DGOC_GRADER_CACHE=ON",
                                   std::string("-DGOC_TSAN=") + (variant_ == Variant::tsan ? "ON" : "OFF")};
  if (!compiler_.empty()) argv.push_back("-DCMAKE_CXX_COMPILER=" + compiler_.string());
  RunResult r = run_tool(argv, root_, 900);
  if (!r.ok()) {
    fs::remove(build_dir_ / "CMakeCache.txt");
    throw UserError("configuring the instructor's tree failed (" + r.describe_end(900) + "):\n" +
                    cap_text(r.output, 6000));
  }
  return try_read_file(build_dir_ / "CMakeCache.txt").value_or("");
}

std::vector<std::string> InstructorBuild::targets_to_build(const std::vector<const Exercise*>& exercises,
                                                           bool all_exercises) const {
  std::vector<std::string> targets;
  for (auto* e : exercises) {
    if (has_target(e->key + "_student_tests")) {
      targets.push_back(e->key + "_student_tests");
      continue;
    }
    for (std::string kind : {"public", "hidden"})
      if (std::string t = e->key + "_student_" + kind; has_target(t)) targets.push_back(t);
  }
  if (targets.empty()) return targets;
  // A make pass over an up-to-date tree takes about half a second per target:
  // all exercises are built through one aggregate target. The plain cache
  // builds the skeletons' programs (their test cases are listed from them);
  // the ThreadSanitizer cache only what the programs link (recipe() relinks).
  auto has_aggregate = [&](const std::string& t) {
    return fs::is_directory(build_dir_ / "exercises" / "CMakeFiles" / (t + ".dir"));
  };
  if (all_exercises && variant_ == Variant::tsan && has_aggregate("goc_student_program_inputs"))
    return {"goc_student_program_inputs"};
  if (all_exercises && has_aggregate("goc_student_programs")) return {"goc_student_programs"};
  return targets;
}

void InstructorBuild::warn_partial_build(const std::string& log) const {
  // make -k leaves what an earlier build made of a failed target in place: say
  // so, since grading would use those programs and objects as they are.
  std::vector<std::string> errors;
  for (auto& line : split_lines(log))
    if (contains(line, "error") && errors.size() < 8) errors.push_back(line);
  say_line("warning: the instructor's " + variant_name(variant_) +
           " build failed for some targets. Exercises whose programs are missing fall back or "
           "report it; a program or test object left from an earlier build is used as it is. "
           "Fix the errors below and grade again:\n" +
           join(errors, "\n"));
}

RunResult InstructorBuild::build_targets(const std::vector<std::string>& targets) const {
  std::vector<std::string> argv = {"cmake", "--build", build_dir_.string(), "-j", std::to_string(jobs_),
                                   "--target"};
  argv.insert(argv.end(), targets.begin(), targets.end());
  argv.push_back("--");
  argv.push_back("-k");  // a skeleton that does not build must not stop the others
  return run_tool(argv, root_, 3600);
}

bool InstructorBuild::ensure_built(const std::vector<std::string>& targets, std::string& error) {
  std::string key = join(targets, " ");
  std::lock_guard guard(build_mutex_);
  auto it = built_.find(key);
  if (it == built_.end()) {
    FileLock lock(build_dir_ / ".grader.lock");
    // As in prepare(): a build of these targets from the same files succeeded.
    fs::path stamp = build_dir_ / (".grader-built-" + join(targets, "+"));
    std::string fingerprint = inputs_ + "\ntargets: " + key + "\n";
    bool ok = !inputs_.empty() && try_read_file(stamp) == fingerprint;
    std::string log;
    if (!ok) {
      fs::remove(stamp);
      RunResult r = build_targets(targets);
      ok = r.ok();
      if (ok && !inputs_.empty()) write_file(stamp, fingerprint);
      if (!ok) log = cap_text(r.output, 6000);
    }
    it = built_.emplace(key, std::make_pair(ok, log)).first;
  }
  error = it->second.second;
  return it->second.first;
}

void InstructorBuild::load_metadata() {
  student_dir_.clear();
  link_files_.clear();
  entries_.clear();
  names_.clear();
  {
    std::lock_guard guard(linkers_mutex_);
    linkers_.clear();
  }
  auto cache = try_read_file(build_dir_ / "CMakeCache.txt");
  if (!cache) return;
  std::string dir = cache_value(*cache, "GOC_STUDENT_DIR");
  student_dir_ = dir.empty() ? root_ / "exercises" : fs::path(dir).lexically_normal();
  // Every executable target of a Makefile build has CMakeFiles/<target>.dir/link.txt.
  for (auto it = fs::recursive_directory_iterator(build_dir_); it != fs::recursive_directory_iterator();
       ++it) {
    if (it->is_directory() && it->path().filename() == "CMakeFiles") {
      std::error_code ec;
      for (auto& sub : fs::directory_iterator(it->path(), ec)) {
        auto name = sub.path().filename().string();
        if (ends_with(name, ".dir") && fs::exists(sub.path() / "link.txt"))
          link_files_[name.substr(0, name.size() - 4)] = sub.path() / "link.txt";
      }
      it.disable_recursion_pending();
    }
  }
  auto db = try_read_file(build_dir_ / "compile_commands.json");
  if (!db) return;
  for (auto& item : nlohmann::json::parse(*db)) {
    Entry e;
    e.dir = item.value("directory", "");
    e.file = normal(e.dir, item.value("file", ""));
    if (item.contains("arguments"))
      e.argv = item["arguments"].get<std::vector<std::string>>();
    else
      e.argv = shell_split(item.value("command", ""));
    for (std::size_t i = 0; i + 1 < e.argv.size(); ++i)
      if (e.argv[i] == "-o") e.output = normal(e.dir, e.argv[i + 1]);
    entries_.push_back(std::move(e));
  }
}

bool InstructorBuild::has_target(const std::string& target) const {
  return link_files_.count(target) > 0;
}

std::optional<Recipe> InstructorBuild::recipe(const Exercise& ex, const std::string& target,
                                              std::string& why) const {
  if (!link_files_.count(target)) {
    why = "the instructor build has no target " + target;
    return std::nullopt;
  }
  Recipe r;
  auto link = direct_link_step(target);
  if (!link) {
    why = "cannot read the link command of " + target;
    return std::nullopt;
  }
  r.link = *link;
  std::set<fs::path> linked;
  for (auto& w : r.link.argv) linked.insert(normal(r.link.dir, w));
  std::set<fs::path> replaced;
  for (auto& f : ex.student_files) {
    fs::path source = (student_dir_ / ex.id / f).lexically_normal();
    bool found = false;
    for (auto& e : entries_) {
      if (e.file != source || !linked.count(e.output)) continue;
      r.compiles.push_back(CompileStep{e.dir, e.argv, source.string(), f, e.output});
      replaced.insert(e.output);
      found = true;
    }
    if (!found) {
      bool compiled_at_all = false;
      for (auto& e : entries_) compiled_at_all |= e.file == source;
      if (!compiled_at_all && !ends_with(f, ".cpp") && !ends_with(f, ".cc")) {
        why = "student file " + f + " is not compiled on its own (a header?)";
        return std::nullopt;
      }
      why = "the object of student file " + f + " is not linked directly into " + target;
      return std::nullopt;
    }
  }
  // Everything else the link needs must have been built: the test objects,
  // the runtime, the Catch2 main. (The skeleton's own objects are replaced.)
  for (std::size_t i = 1; i < r.link.argv.size(); ++i) {
    const auto& w = r.link.argv[i];
    if (w == "-o") {
      ++i;
      continue;
    }
    if (starts_with(w, "-") || !(ends_with(w, ".o") || ends_with(w, ".a"))) continue;
    fs::path input = normal(r.link.dir, w);
    if (!replaced.count(input) && !fs::exists(input)) {
      why = "the instructor build of " + target + " is incomplete: " + input.string() +
            " is missing (see the build log)";
      return std::nullopt;
    }
  }
  return r;
}

std::vector<std::string> InstructorBuild::test_names(const std::string& target, std::string& error,
                                                     const std::string& file_tag) {
  const std::string key = target + " " + file_tag;
  {
    // The listing itself runs unlocked: exercises graded at once list theirs
    // in parallel (each exercise asks for its own targets only).
    std::lock_guard guard(names_mutex_);
    if (auto it = names_.find(key); it != names_.end()) return it->second;
  }
  auto lf = link_files_.find(target);
  if (lf == link_files_.end()) {
    error = "no target " + target;
    return {};
  }
  // The instructor's own binary (skeleton code: trusted) lists its test cases.
  fs::path binary = binary_of(target);
  std::vector<std::string> names;
  if (!fs::exists(binary)) {
    error = "the instructor build of " + target + " failed (does the skeleton compile?)";
    return {};
  }
  // Remembered beside the target's link.txt until the program is rebuilt:
  // every grader start would otherwise run each exercise's program to ask.
  std::string suffix;
  for (char c : file_tag)
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') suffix += c;
  fs::path memo = lf->second.parent_path() / ("grader-test-names" + (suffix.empty() ? "" : "-" + suffix) + ".json");
  std::string memo_key = program_identity(binary) + " " + file_tag;
  if (auto value = recall(memo, memo_key); value && value->is_array() && !value->empty())
    names = value->get<std::vector<std::string>>();
  if (names.empty()) {
    std::vector<std::string> args;
    if (!file_tag.empty()) args = {"-#", file_tag};
    names = list_test_cases(binary, build_dir_, error, args);
    if (names.empty()) {
      error = "could not list the test cases of " + target + (file_tag.empty() ? "" : " " + file_tag) + ": " + error;
      return {};
    }
    remember(memo, memo_key, names);
  }
  std::lock_guard guard(names_mutex_);
  names_[key] = names;
  return names;
}

std::optional<LinkStep> InstructorBuild::link_step(const std::string& target) const {
  auto lf = link_files_.find(target);
  if (lf == link_files_.end()) return std::nullopt;
  LinkStep step;
  step.dir = lf->second.parent_path().parent_path().parent_path();  // <dir>/CMakeFiles/<t>.dir/link.txt
  for (auto& line : split_lines(read_file(lf->second))) {
    auto words = shell_split(line);
    for (std::size_t i = 0; i + 1 < words.size(); ++i)
      if (words[i] == "-o") {
        step.binary = normal(step.dir, words[i + 1]);
        step.argv = words;
        return step;
      }
  }
  return std::nullopt;
}

std::optional<LinkStep> InstructorBuild::direct_link_step(const std::string& target) const {
  auto step = link_step(target);
  if (!step) return step;
  std::lock_guard guard(linkers_mutex_);
  auto it = linkers_.find(target);
  if (it == linkers_.end()) {
    fs::path memo = link_files_.at(target).parent_path() / "grader-linker.json";
    it = linkers_.emplace(target, remembered_linker_command(memo, step->argv, step->dir)).first;
  }
  if (it->second) step->argv = *it->second;
  return step;
}

fs::path InstructorBuild::binary_of(const std::string& target) const {
  auto step = link_step(target);
  return step ? step->binary : fs::path();
}

bool InstructorBuild::selects_exactly(const std::string& target, const std::vector<std::vector<std::string>>& lists) {
  {
    std::lock_guard guard(names_mutex_);
    if (auto it = selects_.find(target); it != selects_.end()) return it->second;
  }
  bool ok = false;
  fs::path binary = binary_of(target);
  // A "yes" is remembered like test_names(), under the program and the lists.
  fs::path memo = binary.empty() ? fs::path() : link_files_.at(target).parent_path() / "grader-selects.json";
  std::string memo_key = binary.empty() ? "" : program_identity(binary);
  for (auto& list : lists) memo_key += "\n" + std::to_string(list.size()) + "\n" + join(list, "\n");
  if (auto value = memo.empty() ? std::nullopt : recall(memo, memo_key); value && value->is_boolean()) {
    std::lock_guard guard(names_mutex_);
    return selects_[target] = value->get<bool>();
  }
  if (!binary.empty()) {
    ok = fs::exists(binary);
    for (std::size_t i = 0; ok && i < lists.size(); ++i) {
      fs::path file = build_dir_ / (".grader-names-" + random_token(8) + ".txt");  // graders may share the cache
      write_file(file, input_file_selecting(lists[i]));
      std::string error;
      auto listed = list_test_cases(binary, build_dir_, error, {"--input-file", file.string()});
      auto want = lists[i];
      std::sort(listed.begin(), listed.end());
      std::sort(want.begin(), want.end());
      ok = !want.empty() && listed == want;
      fs::remove(file);
    }
    if (ok) remember(memo, memo_key, true);  // a "no" may be a host's bad moment: asked again
  }
  std::lock_guard guard(names_mutex_);
  selects_[target] = ok;
  return ok;
}

std::vector<std::string> list_test_cases(const fs::path& binary, const fs::path& cwd, std::string& error,
                                         const std::vector<std::string>& extra_args) {
  RunOptions o;
  o.argv = {binary.string(), "--list-test-names-only"};
  o.argv.insert(o.argv.end(), extra_args.begin(), extra_args.end());
  o.cwd = cwd;
  o.timeout_seconds = 60;
  o.env = clean_environment(cwd);
  for (bool no_aslr : {false, true}) {
    o.sandbox.enabled = no_aslr;
    o.sandbox.isolate = false;
    o.sandbox.drop_privileges = false;
    o.sandbox.no_aslr = no_aslr;
    RunResult r = run(o);
    if (has_tsan_fatal(r.output)) {
      error = r.output;
      continue;
    }
    // Catch2 v2 exits with the number of test cases it listed.
    if (!r.timed_out && r.signal == 0 && r.start_error.empty() && r.exit_code < 255) {
      auto names = parse_name_list(r.output);
      if (!names.empty()) return names;
    }
    // Catch2 v3 lists through its XML reporter.
    RunOptions o3 = o;
    o3.argv = {binary.string(), "--list-tests", "--reporter", "xml"};
    o3.argv.insert(o3.argv.end(), extra_args.begin(), extra_args.end());
    RunResult r3 = run(o3);
    auto names = parse_xml_list(r3.output);
    if (!names.empty()) return names;
    error = r.describe_end(60) + ": " + cap_text(r.output, 1500);
    return {};
  }
  return {};
}

SubmissionBuilder::SubmissionBuilder(fs::path work_dir, fs::path overlay_root, Sandbox sandbox,
                                     double timeout)
    : work_(std::move(work_dir)), overlay_(std::move(overlay_root)), sandbox_(sandbox), timeout_(timeout) {}

namespace {

// The instructor's compile command with the student's file in place of the
// skeleton's, without its output; and a signature naming both (public and
// hidden programs share a compiled file when their signatures agree).
std::pair<std::vector<std::string>, std::string> student_compile_command(const CompileStep& step,
                                                                          const fs::path& student_source) {
  std::vector<std::string> argv;
  std::string signature;
  for (std::size_t i = 0; i < step.argv.size(); ++i) {
    const auto& w = step.argv[i];
    if (w == "-o" && i + 1 < step.argv.size()) {
      ++i;
      signature += " -o <out>";
      continue;
    }
    if (normal(step.dir, w) == fs::path(step.source)) {
      argv.push_back(student_source.string());
      signature += " <src:" + student_source.string() + ">";
      continue;
    }
    argv.push_back(w);
    signature += " " + w;
  }
  return {argv, signature};
}

// The link command with the student's objects in place of the skeleton's.
std::vector<std::string> student_link_command(const LinkStep& link, const std::map<fs::path, fs::path>& replaced,
                                              const fs::path& binary) {
  std::vector<std::string> argv;
  for (std::size_t i = 0; i < link.argv.size(); ++i) {
    const auto& w = link.argv[i];
    if (w == "-o" && i + 1 < link.argv.size()) {
      argv.push_back("-o");
      argv.push_back(binary.string());
      ++i;
      continue;
    }
    auto it = replaced.find(normal(link.dir, w));
    argv.push_back(it != replaced.end() ? it->second.string() : w);
  }
  return argv;
}

}  // namespace

// Compiles one student file (once per signature) and checks it: a refused
// file is not compiled at all (an #include of /dev/zero would hang the
// compiler), a compiled one has its object checked before any link.
void SubmissionBuilder::compile_and_check(const Exercise& e, const CompileStep& step, const fs::path& dir,
                                          RunOptions o, const std::string& signature) {
  fs::path student_source = overlay_ / e.id / step.student_file;
  fs::path object = dir / (fs::path(step.student_file).stem().string() + "-" +
                           std::to_string(std::hash<std::string>{}(signature) % 100000) + ".o");
  std::string refusal = refusal_before_compiling(e, student_source);
  o.argv.push_back("-o");
  o.argv.push_back(object.string());
  o.cwd = step.dir;
  RunResult r;
  if (refusal.empty()) r = run(o);
  bool ok = refusal.empty() && r.ok() && fs::exists(object);
  if (ok) refusal = refusal_of_object(e, student_source, object);
  std::string log = r.output + r.start_error;
  if (r.timed_out) log += "\ncompiling took longer than " + format_points(timeout_) + " s\n";
  if (refusal.empty() && !ok && !r.timed_out && gcc_accepts_what_clang_refused(o)) {
    disagreements_[signature] = true;
    log = "clang++ (the grading compiler) refused this file, but g++ (what `./course check` builds with) "
          "accepts it. Grade this submission again with --compiler g++. What clang++ said:\n" + log;
  }
  objects_.emplace(signature, std::make_pair(ok && refusal.empty(), object));
  compile_logs_[signature] = refusal.empty() ? log : refusal;
  refusals_[signature] = refusal;
}

bool SubmissionBuilder::gcc_accepts_what_clang_refused(RunOptions o) const {
  if (o.argv.empty() || !is_clang(o.argv[0])) return false;
  o.argv = gcc_syntax_check_command(o.argv);
  return !o.argv.empty() && run(o).ok();
}

BuildOutcome SubmissionBuilder::build(const Exercise& e, const std::string& target, const Recipe& recipe,
                                      Variant variant) {
  BuildOutcome out;
  fs::path dir = work_ / variant_name(variant) / e.key;
  fs::create_directories(dir);
  if (sandbox_.enabled && sandbox_.drop_privileges && running_as_root()) {
    [[maybe_unused]] int rc = chown(dir.c_str(), sandbox_.uid, kNobodyId);
  }
  RunOptions o;
  o.timeout_seconds = timeout_;
  o.sandbox = sandbox_;
  o.env = clean_environment(dir);
  o.output_cap = 1 << 20;
  std::map<fs::path, fs::path> replaced;  // cache object -> this submission's object
  for (auto& step : recipe.compiles) {
    auto [argv, signature] = student_compile_command(step, overlay_ / e.id / step.student_file);
    if (!objects_.count(signature)) {
      o.argv = argv;
      compile_and_check(e, step, dir, o, signature);
    }
    out.log += compile_logs_[signature];
    out.compilers_disagree = disagreements_[signature];
    out.refused = !refusals_[signature].empty();
    out.compile_failed = !out.refused && !objects_[signature].first;
    if (out.refused || out.compile_failed) return out;
    replaced[step.object] = objects_[signature].second;
  }
  fs::path binary = dir / target;
  o.argv = student_link_command(recipe.link, replaced, binary);
  o.cwd = recipe.link.dir;
  RunResult r = run(o);
  out.log += r.output + r.start_error;
  // Undefined or duplicate symbols come from the student's code too.
  out.compile_failed = !r.ok() || !fs::exists(binary);
  out.ok = !out.compile_failed;
  if (out.ok) out.binary = binary;
  return out;
}

void SubmissionBuilder::forget_failures() {
  std::erase_if(objects_, [](const auto& entry) { return !entry.second.first; });
}

std::string SubmissionBuilder::refusal_before_compiling(const Exercise& e, const fs::path& source) const {
  if (!policy_) return "";
  auto text = try_read_file(source);
  if (!text) return "";  // the compiler says the file is missing
  auto refusals = check_source(*text);
  return refusals.empty() ? "" : describe_refusals(refusals, e.id + "/" + source.filename().string());
}

std::string SubmissionBuilder::refusal_of_object(const Exercise& e, const fs::path& source,
                                                 const fs::path& object) const {
  if (!policy_) return "";
  std::string error;
  auto refusals = check_object(object, try_read_file(source).value_or(""), *policy_, error);
  if (!error.empty()) throw UserError("the symbol check could not run (nm and objdump come with binutils): " + error);
  return refusals.empty() ? "" : describe_refusals(refusals, e.id + "/" + source.filename().string());
}

}  // namespace grader
