// The certification bundle (files, manifest recomputed independently, refusal cases) and the
// source-commit lookup against fake checkouts.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "conformance/reports/reports.hpp"
#include "conformance/reports/reports_test_support.hpp"

namespace tigress::conformance {
namespace {

namespace fs = std::filesystem;
using namespace test_support;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void spit(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

struct BundleInputs {
  fs::path catalogue_path;
  std::string catalogue_bytes;
  Catalogue catalogue;
};

BundleInputs bundle_inputs(const fs::path& dir) {
  BundleInputs in;
  in.catalogue_path = dir / "requirements.json";
  in.catalogue_bytes = "{\"version\":\"test-1\",\"requirements\":[]}\n";
  spit(in.catalogue_path, in.catalogue_bytes);
  in.catalogue = tiny_catalogue();
  in.catalogue.digest = independent_sha256(in.catalogue_bytes);
  return in;
}

TEST(Bundle, ManifestMatchesIndependentlyRecomputedHashes) {
  const ScratchDir root_scratch("bundle");
  const fs::path root = root_scratch.path();
  const BundleInputs in = bundle_inputs(root);
  RunMetadata m = metadata();
  m.catalogue_digest = in.catalogue.digest;
  const fs::path dir = root / "new" / "bundle";  // parents created too
  const Status status = write_bundle(dir, hostile_summary(), in.catalogue, m, in.catalogue_path);
  ASSERT_TRUE(status.ok()) << status.error().message();

  std::istringstream manifest(slurp(dir / "MANIFEST.sha256"));
  std::vector<std::string> names;
  std::string line;
  while (std::getline(manifest, line)) {
    ASSERT_GT(line.size(), 66u) << line;
    const std::string hash = line.substr(0, 64), separator = line.substr(64, 2), name = line.substr(66);
    EXPECT_EQ(separator, "  ");
    EXPECT_EQ(hash, independent_sha256(slurp(dir / name))) << name;
    names.push_back(name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"catalogue.json", "report.html", "report.json", "report.md", "report.xml",
                                             "run.json"}));
  std::vector<std::string> on_disk;
  for (const auto& entry : fs::directory_iterator(dir)) on_disk.push_back(entry.path().filename());
  EXPECT_EQ(on_disk.size(), 7u) << "no temporary files left behind";

  EXPECT_EQ(slurp(dir / "catalogue.json"), in.catalogue_bytes);
  const auto run = nlohmann::json::parse(slurp(dir / "run.json"), nullptr, false);
  ASSERT_FALSE(run.is_discarded());
  EXPECT_EQ(run["schema"], "tigress-run/1");
  EXPECT_EQ(run["suite"]["version"], "0.1.0");
  EXPECT_EQ(run["suite"]["commit"], m.suite_commit);
  EXPECT_EQ(run["catalogue"]["digest"], in.catalogue.digest);
  EXPECT_EQ(run["seed"], "18446744073709551615");
  EXPECT_EQ(run["target"], m.target);
  EXPECT_EQ(run["started_at"], "2024-01-02T03:04:05Z");
  EXPECT_EQ(run["finished_at"], "2024-01-02T03:04:09Z");
  // The command line is exact except that the invalid byte had to become U+FFFD in JSON.
  EXPECT_EQ(run["command_line"], "tigress-conform relay --target https://relay.example --seed 42 \xef\xbf\xbd");

  const auto report = nlohmann::json::parse(slurp(dir / "report.json"), nullptr, false);
  ASSERT_FALSE(report.is_discarded());
  EXPECT_EQ(report["summary"]["total"], 5);
  EXPECT_EQ(xml_problem(slurp(dir / "report.xml")), "");
}

TEST(Bundle, RewritesOwnFilesAndLeavesOthersAlone) {
  const ScratchDir root_scratch("rewrite");
  const fs::path root = root_scratch.path();
  const BundleInputs in = bundle_inputs(root);
  const fs::path dir = root / "bundle";
  spit(dir / "notes.txt", "mine");
  spit(dir / "report.json", "stale");
  spit(dir / "MANIFEST.sha256", "stale");
  const Status status = write_bundle(dir, hostile_summary(), in.catalogue, metadata(), in.catalogue_path);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(slurp(dir / "notes.txt"), "mine");
  EXPECT_NE(slurp(dir / "report.json"), "stale");
  const std::string manifest = slurp(dir / "MANIFEST.sha256");
  EXPECT_EQ(manifest.find("notes.txt"), std::string::npos);
  EXPECT_NE(manifest.find(independent_sha256(slurp(dir / "report.json")) + "  report.json\n"), std::string::npos);
}

TEST(Bundle, RefusesAFileInPlaceOfTheDirectory) {
  const ScratchDir root_scratch("file");
  const fs::path root = root_scratch.path();
  const BundleInputs in = bundle_inputs(root);
  spit(root / "bundle", "a file");
  const Status status = write_bundle(root / "bundle", hostile_summary(), in.catalogue, metadata(), in.catalogue_path);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("not a directory"), std::string::npos);
  EXPECT_EQ(slurp(root / "bundle"), "a file");
}

TEST(Bundle, RefusesACatalogueThatChangedSinceLoading) {
  const ScratchDir root_scratch("changed");
  const fs::path root = root_scratch.path();
  BundleInputs in = bundle_inputs(root);
  spit(in.catalogue_path, in.catalogue_bytes + " ");
  const Status status = write_bundle(root / "bundle", hostile_summary(), in.catalogue, metadata(), in.catalogue_path);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("differs"), std::string::npos);
  EXPECT_FALSE(fs::exists(root / "bundle" / "MANIFEST.sha256"));
}

TEST(Bundle, ReportsAMissingCatalogueFile) {
  const ScratchDir root_scratch("missing");
  const fs::path root = root_scratch.path();
  const BundleInputs in = bundle_inputs(root);
  const Status status = write_bundle(root / "bundle", hostile_summary(), in.catalogue, metadata(), root / "nope.json");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("nope.json"), std::string::npos);
}

TEST(Sha256, KnownAnswer) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), independent_sha256(""));
}

// ---- suite_commit ------------------------------------------------------------------------------

const std::string kCommitA = "1111111111111111111111111111111111111111";
const std::string kCommitB = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

TEST(SourceCommit, DetachedHead) {
  const ScratchDir dir_scratch("git-detached");
  const fs::path dir = dir_scratch.path();
  spit(dir / ".git" / "HEAD", kCommitA + "\n");
  EXPECT_EQ(git_commit_of(dir), kCommitA);
}

TEST(SourceCommit, LooseRefIsLowerCased) {
  const ScratchDir dir_scratch("git-loose");
  const fs::path dir = dir_scratch.path();
  spit(dir / ".git" / "HEAD", "ref: refs/heads/main\n");
  spit(dir / ".git" / "refs" / "heads" / "main", kCommitB + "\n");
  EXPECT_EQ(git_commit_of(dir), std::string(40, 'a'));
}

TEST(SourceCommit, PackedRef) {
  const ScratchDir dir_scratch("git-packed");
  const fs::path dir = dir_scratch.path();
  spit(dir / ".git" / "HEAD", "ref: refs/heads/feature/x\n");
  spit(dir / ".git" / "packed-refs", "# pack-refs with: peeled fully-peeled sorted\n" + std::string(40, '2') +
                                         " refs/heads/main\n" + kCommitA + " refs/heads/feature/x\n^" +
                                         std::string(40, '3') + "\n");
  EXPECT_EQ(git_commit_of(dir), kCommitA);
}

TEST(SourceCommit, WorktreeGitFileAndCommonDir) {
  const ScratchDir root_scratch("git-worktree");
  const fs::path root = root_scratch.path();
  const fs::path main_git = root / "main" / ".git";
  spit(main_git / "refs" / "heads" / "topic", kCommitA + "\n");
  spit(main_git / "worktrees" / "wt" / "HEAD", "ref: refs/heads/topic\n");
  spit(main_git / "worktrees" / "wt" / "commondir", "../..\n");
  spit(root / "wt" / ".git", "gitdir: ../main/.git/worktrees/wt\n");
  EXPECT_EQ(git_commit_of(root / "wt"), kCommitA);
}

TEST(SourceCommit, UnknownWhenAbsentBrokenOrEscaping) {
  const ScratchDir none("git-none");
  EXPECT_EQ(git_commit_of(none.path()), "unknown");
  const ScratchDir broken_scratch("git-broken");
  const fs::path broken = broken_scratch.path();
  spit(broken / ".git" / "HEAD", "ref: refs/heads/missing\n");
  EXPECT_EQ(git_commit_of(broken), "unknown");
  const ScratchDir escaping_scratch("git-escape");
  const fs::path escaping = escaping_scratch.path();
  spit(escaping / "outside", kCommitA + "\n");
  spit(escaping / ".git" / "HEAD", "ref: ../outside\n");
  EXPECT_EQ(git_commit_of(escaping), "unknown");
  const ScratchDir loop_scratch("git-loop");
  const fs::path loop = loop_scratch.path();
  spit(loop / ".git" / "HEAD", "ref: refs/heads/a\n");
  spit(loop / ".git" / "refs" / "heads" / "a", "ref: refs/heads/a\n");
  EXPECT_EQ(git_commit_of(loop), "unknown");
}

// The commit the build recorded is this tree's HEAD as git_commit_of reads it independently (git
// at build time, the .git files here); the build refreshes it, so it is never stale after a build.
TEST(SourceCommit, RecordedAtBuildTimeIsThisSourceTree) {
  const std::string commit = suite_commit();
  EXPECT_FALSE(suite_version().empty());
  if (!fs::exists(fs::path(TIGRESS_SOURCE_DIR) / ".git")) {
    EXPECT_EQ(commit, "unknown");
    return;
  }
  EXPECT_TRUE(commit.size() == 40 || commit.size() == 64) << commit;
  EXPECT_EQ(commit.find_first_not_of("0123456789abcdef"), std::string::npos) << commit;
  EXPECT_EQ(commit, git_commit_of(TIGRESS_SOURCE_DIR));
}

}  // namespace
}  // namespace tigress::conformance
