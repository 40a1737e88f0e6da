// Which source the suite was built from, for the reports' "suite.commit": recorded by the build
// (conformance/reports/source_commit.cmake), so an installed or relocated suite reports it too
// and nothing reads a source tree at run time. git_commit_of reads any checkout's .git without
// running git; the tests use it to check the recorded commit against this tree.
#include <cctype>
#include <exception>
#include <string>
#include <string_view>

#include "conformance/reports/report_text.hpp"
#include "conformance/reports/reports.hpp"

#include "tigress_source_commit.hpp"

#ifndef TIGRESS_SUITE_VERSION
#define TIGRESS_SUITE_VERSION "unknown"
#endif

namespace tigress::conformance {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kUnknown = "unknown";
// Small files only: HEAD, a ref, a gitdir pointer. packed-refs can be large in big repositories.
constexpr std::size_t kSmallFile = 4096;
constexpr std::size_t kPackedRefs = 32 * 1024 * 1024;
constexpr int kMaxSymbolicDepth = 5;  // git itself gives up after a few levels of ref: chains

std::string trim(std::string_view text) {
  const std::size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  const std::size_t end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

std::string read_small(const fs::path& path, std::size_t limit = kSmallFile) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return {};
  Result<std::string> content = report_detail::read_file(path, limit);
  return content ? trim(*content) : std::string{};
}

// SHA-1 (40) or SHA-256 (64) object names, normalised to lower case.
bool is_object_name(std::string& text) {
  if (text.size() != 40 && text.size() != 64) return false;
  for (char& c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return true;
}

// A ref name is joined to a directory below: refuse anything that could leave it.
bool safe_ref_name(std::string_view ref) {
  return !ref.empty() && ref.front() != '/' && ref.find("..") == std::string_view::npos &&
         ref.find('\\') == std::string_view::npos && ref.find('\0') == std::string_view::npos;
}

std::string from_packed_refs(const fs::path& git_dir, std::string_view ref) {
  const std::string packed = read_small(git_dir / "packed-refs", kPackedRefs);
  std::size_t position = 0;
  while (position < packed.size()) {
    std::size_t end = packed.find('\n', position);
    if (end == std::string::npos) end = packed.size();
    std::string_view line(packed.data() + position, end - position);
    position = end + 1;
    // "# pack-refs with: ..." headers and "^<peeled>" lines of annotated tags are not refs.
    if (line.empty() || line.front() == '#' || line.front() == '^') continue;
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos || trim(line.substr(space + 1)) != ref) continue;
    std::string name(line.substr(0, space));
    if (is_object_name(name)) return name;
  }
  return {};
}

std::string resolve(const fs::path& git_dir, const fs::path& common_dir, std::string value, int depth) {
  if (is_object_name(value)) return value;  // detached HEAD, or a ref's content
  constexpr std::string_view kPrefix = "ref:";
  if (depth >= kMaxSymbolicDepth || value.compare(0, kPrefix.size(), kPrefix) != 0) return {};
  const std::string ref = trim(std::string_view(value).substr(kPrefix.size()));
  if (!safe_ref_name(ref)) return {};
  // Per-worktree refs live in the worktree's git dir, branches in the common dir.
  for (const fs::path& dir : {git_dir, common_dir}) {
    std::string content = read_small(dir / ref);
    if (!content.empty()) return resolve(git_dir, common_dir, std::move(content), depth + 1);
  }
  return from_packed_refs(common_dir, ref);  // a freshly cloned branch is often only packed
}

std::string git_commit_unchecked(const fs::path& source_dir) {
  std::error_code ec;
  const fs::path dot_git = source_dir / ".git";
  fs::path git_dir;
  if (fs::is_directory(dot_git, ec)) {
    git_dir = dot_git;
  } else {
    // Worktrees and submodules have a .git file: "gitdir: <path>", relative to the checkout.
    const std::string pointer = read_small(dot_git);
    constexpr std::string_view kGitdir = "gitdir:";
    if (pointer.compare(0, kGitdir.size(), kGitdir) != 0) return std::string(kUnknown);
    git_dir = trim(std::string_view(pointer).substr(kGitdir.size()));
    if (git_dir.is_relative()) git_dir = source_dir / git_dir;
  }
  fs::path common_dir = git_dir;
  if (const std::string common = read_small(git_dir / "commondir"); !common.empty()) {
    common_dir = fs::path(common).is_relative() ? git_dir / common : fs::path(common);
  }
  std::string commit = resolve(git_dir, common_dir, read_small(git_dir / "HEAD"), 0);
  return commit.empty() ? std::string(kUnknown) : commit;
}

}  // namespace

std::string git_commit_of(const fs::path& source_dir) {
  try {
    return git_commit_unchecked(source_dir);
  } catch (...) {
    // Only allocation failure can get here; a report without a commit beats no report.
    return std::string(kUnknown);
  }
}

std::string suite_commit() { return TIGRESS_SOURCE_COMMIT; }

std::string suite_version() { return TIGRESS_SUITE_VERSION; }

}  // namespace tigress::conformance
