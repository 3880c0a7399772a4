#include "archive.hpp"

#include <unistd.h>

namespace grader {

namespace {

enum class Kind { zip, tar_gz, tar };

std::optional<Kind> kind_of(const fs::path& path) {
  std::string name = path.filename().string();
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ends_with(name, ".zip")) return Kind::zip;
  if (ends_with(name, ".tar.gz") || ends_with(name, ".tgz")) return Kind::tar_gz;
  if (ends_with(name, ".tar")) return Kind::tar;
  return std::nullopt;
}

std::string list_output(const std::vector<std::string>& argv) {
  RunOptions o;
  o.argv = argv;
  o.timeout_seconds = 60;
  o.output_cap = 16 << 20;
  RunResult r = run(o);
  if (!r.ok()) throw UserError("cannot read the archive (" + join(argv, " ") + ": " +
                               r.describe_end(60) + ")\n" + cap_text(r.output, 2000));
  return r.output;
}

}  // namespace

bool is_archive(const fs::path& path) { return kind_of(path).has_value(); }

std::string unsafe_entry_reason(std::string_view name) {
  if (name.empty()) return "";
  if (name.front() == '/' || name.front() == '\\') return "absolute path";
  if (name.size() > 1 && name[1] == ':') return "drive letter";
  std::string unified = replace_all(std::string(name), "\\", "/");
  std::size_t start = 0;
  while (start <= unified.size()) {
    std::size_t end = unified.find('/', start);
    if (end == std::string::npos) end = unified.size();
    if (unified.compare(start, end - start, "..") == 0 && end - start == 2)
      return "climbs out of the folder with ..";
    start = end + 1;
  }
  return "";
}

namespace {

// A private copy of the archive, beside `dest`, that the unpacker (perhaps
// running as nobody) can read.
fs::path readable_copy(const fs::path& archive, const fs::path& dest) {
  fs::create_directories(dest.parent_path());
  fs::path copy = fs::absolute(dest.parent_path() / ("submitted-" + archive.filename().string()));
  fs::copy_file(archive, copy, fs::copy_options::overwrite_existing);
  fs::permissions(copy, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                            fs::perms::others_read);
  return copy;
}

struct Listing {
  std::vector<std::string> names;  ///< one entry name a line
  std::vector<std::string> types;  ///< long listing lines, starting with the entry's type letter
};

Listing list_entries(Kind kind, const fs::path& archive) {
  Listing listing;
  if (kind == Kind::zip) {
    listing.names = split_lines(list_output({"unzip", "-Z1", archive.string()}));
    // `unzip -Z` lines start with the Unix mode of each entry: 'l' is a link.
    for (auto& line : split_lines(list_output({"unzip", "-Z", archive.string()})))
      if (line.size() > 10 && std::string_view("-dlcbps").find(line[0]) != std::string::npos &&
          (line[1] == 'r' || line[1] == '-'))
        listing.types.push_back(line);
    return listing;
  }
  std::vector<std::string> list = {"tar", "--quoting-style=literal", "-t", "-f", archive.string()};
  std::vector<std::string> verbose = {"tar", "-tv", "-f", archive.string()};
  if (kind == Kind::tar_gz) {
    list.insert(list.begin() + 1, "-z");
    verbose.insert(verbose.begin() + 1, "-z");
  }
  listing.names = split_lines(list_output(list));
  listing.types = split_lines(list_output(verbose));
  return listing;
}

// Throws, naming them, when any entry is unsafe to unpack.
void refuse_unsafe_entries(const Listing& listing) {
  std::vector<std::string> refused;
  for (auto& n : listing.names)
    if (auto why = unsafe_entry_reason(n); !why.empty()) refused.push_back("'" + n + "' (" + why + ")");
  for (auto& t : listing.types)
    if (!t.empty() && (t[0] == 'l' || t[0] == 'h' || t[0] == 'c' || t[0] == 'b' || t[0] == 'p'))
      refused.push_back("'" + trim(t) + "' (a link or special file)");
  if (!refused.empty())
    throw UserError("archive refused: " + std::to_string(refused.size()) +
                    " unsafe entr" + (refused.size() == 1 ? "y" : "ies") + ": " +
                    join(refused, ", ") + ". Nothing was unpacked.");
}

std::vector<std::string> unpack_argv(Kind kind, const fs::path& archive, const fs::path& dest) {
  if (kind == Kind::zip) return {"/usr/bin/unzip", "-qq", "-o", archive.string(), "-d", dest.string()};
  std::vector<std::string> argv = {"/usr/bin/tar", "--no-same-owner", "--no-same-permissions", "-x"};
  if (kind == Kind::tar_gz) argv.push_back("-z");
  for (const std::string& arg : {std::string("-f"), archive.string(), std::string("-C"), dest.string()})
    argv.push_back(arg);
  return argv;
}

// Unpacks into `dest`, which the sandbox's uid is made to own.
void unpack_into(Kind kind, const fs::path& archive, const fs::path& shown_name, const fs::path& dest,
            const Sandbox& sandbox) {
  fs::create_directories(dest);
  if (sandbox.enabled && sandbox.drop_privileges && running_as_root())
    [[maybe_unused]] int rc = chown(dest.c_str(), sandbox.uid, kNobodyId);
  RunOptions o;
  o.cwd = dest;
  o.timeout_seconds = 120;
  o.sandbox = sandbox;
  o.sandbox.isolate = false;
  o.env = clean_environment(dest);
  o.argv = unpack_argv(kind, archive, dest);
  RunResult r = run(o);
  if (!r.ok())
    throw UserError("unpacking " + shown_name.string() + " failed (" + r.describe_end(o.timeout_seconds) +
                    "): " + cap_text(r.output, 2000));
}

// Belt and braces: no link survives, whatever the listing said.
void remove_links(const fs::path& dest) {
  for (auto it = fs::recursive_directory_iterator(dest); it != fs::recursive_directory_iterator(); ++it)
    if (it->is_symlink()) fs::remove(it->path());
}

}  // namespace

void extract_archive(const fs::path& archive, const fs::path& dest, const Sandbox& sandbox) {
  auto kind = kind_of(archive);
  if (!kind) throw UserError(archive.string() + ": not a .zip, .tar.gz, .tgz or .tar archive");
  fs::path copy = readable_copy(archive, dest);
  refuse_unsafe_entries(list_entries(*kind, copy));
  unpack_into(*kind, copy, archive.filename(), dest, sandbox);
  remove_links(dest);
}

}  // namespace grader
