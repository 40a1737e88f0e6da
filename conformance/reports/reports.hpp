// The run's reports: a versioned JSON document for machines (schema in SCHEMA.md and
// report.schema.json), JUnit XML for CI dashboards, one self-contained HTML page for people, and
// the certification bundle that ties them to the exact catalogue, command line and seed.
//
// Everything a target sent (details, wire logs) is untrusted even after the runner redacted and
// bounded it: every writer escapes it for its format and caps its size again, so a hostile relay
// can neither inject markup into a report nor make one grow without bound. Nothing here throws;
// failures come back as Status/Result values.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "conformance/framework/catalogue.hpp"
#include "conformance/framework/runner.hpp"
#include "conformance/preflight/preflight.hpp"
#include "conformance/reports/coverage.hpp"
#include "common/result.hpp"

namespace tigress::conformance {

// The value of the JSON report's "schema" member. Additive changes keep it; a change that can
// break a reader (renamed, removed or retyped member, new meaning) bumps the trailing number.
inline constexpr std::string_view kReportSchema = "tigress-report/1";
// The value of run.json's "schema" member in a bundle; same versioning rule.
inline constexpr std::string_view kRunRecordSchema = "tigress-run/1";

// The expectations file a run was judged with (--expect).
struct ExpectationsRecord {
  std::string file;    // as given on the command line
  std::string sha256;  // of its bytes when it was loaded
  std::size_t entries = 0;
  bool allow_xpass = false;
};

// What the reports say about the run besides its results. Empty started_at/finished_at fall back
// to the RunSummary's.
struct RunMetadata {
  std::string suite_version;  // suite_version() unless the caller knows better
  std::string suite_commit;   // suite_commit()
  std::string catalogue_version;
  std::string catalogue_digest;  // SHA-256 hex of the catalogue file's bytes
  std::string command_line;      // exactly as invoked, for reproduction
  std::string target;            // the URL under test (the first, when there are several)
  // Every address of the deployment under test (a repeated --target), in the order given; empty
  // means just `target`.
  std::vector<std::string> targets;
  std::vector<std::string> all_targets() const;  // `targets`, or `target` alone
  std::string mode;                              // "relay", "client", ...: selects the coverage scope
  std::string seed;                              // decimal, as a string so 64-bit seeds survive JSON readers
  std::string started_at, finished_at;           // RFC 3339
  bool strict = false;
  std::optional<ExpectationsRecord> expectations;  // none: no --expect
  std::optional<PreflightResult> preflight;        // none: the mode ran no preflight
  // The mode's own top-level members of the JSON report ("transcripts" for replay, "cells" for
  // interop, "netfuzz" for fuzz; SCHEMA.md): added after the common members, never replacing one.
  // The mode bounds and escapes any target text it puts here.
  nlohmann::json mode_members = nlohmann::json::object();
};

// The rendered documents, for callers that print them (e.g. to stdout) rather than write files.
Result<std::string> render_json_report(const RunSummary& summary, const Catalogue& catalogue,
                                       const RunMetadata& metadata);
Result<std::string> render_junit_report(const RunSummary& summary, const RunMetadata& metadata);
Result<std::string> render_html_report(const RunSummary& summary, const Catalogue& catalogue,
                                       const RunMetadata& metadata);
// GitHub-flavoured Markdown: a headline, the counts and one table row per finding (FAIL, ERROR,
// XPASS, WARN, then XFAIL and SKIP), every cell escaped so target text cannot add markup or
// links; at most kMarkdownLimit bytes (a pull-request comment takes 65,536 characters).
inline constexpr std::size_t kMarkdownLimit = 60 * 1024;
Result<std::string> render_markdown_report(const RunSummary& summary, const Catalogue& catalogue,
                                           const RunMetadata& metadata);

// Render and write to `path` (created or truncated).
Status write_json_report(const std::filesystem::path& path, const RunSummary& summary, const Catalogue& catalogue,
                         const RunMetadata& metadata);
Status write_junit_report(const std::filesystem::path& path, const RunSummary& summary, const RunMetadata& metadata);
Status write_html_report(const std::filesystem::path& path, const RunSummary& summary, const Catalogue& catalogue,
                         const RunMetadata& metadata);
Status write_markdown_report(const std::filesystem::path& path, const RunSummary& summary, const Catalogue& catalogue,
                             const RunMetadata& metadata);

// The certification bundle: `dir` (created if missing; an error if it is a file) receives
// report.json, report.xml, report.html, report.md, catalogue.json (the bytes of `catalogue_path`,
// which must hash to the loaded catalogue's digest and to metadata.catalogue_digest, when they
// are set: a file changed since loading is refused), with an expectations file (non-empty
// `expectations_path`) expectations.json (its bytes, which must hash to
// metadata.expectations->sha256), run.json, and MANIFEST.sha256 listing the others in
// `sha256sum -c` format, sorted by name. Only these names are written (each through a temporary
// file and a rename); anything else already in `dir` is left alone and not listed.
inline constexpr std::string_view kBundleManifest = "MANIFEST.sha256";
Status write_bundle(const std::filesystem::path& dir, const RunSummary& summary, const Catalogue& catalogue,
                    const RunMetadata& metadata, const std::filesystem::path& catalogue_path,
                    const std::filesystem::path& expectations_path = {});

// The suite's version (the CMake project version) and the git commit of the source tree it was
// built from, recorded at build time ("unknown" when it was built outside a git checkout).
std::string suite_version();
std::string suite_commit();
// The same lookup for any checkout; exposed for tests. Handles .git files (worktrees,
// submodules), loose and packed refs, and detached HEADs.
std::string git_commit_of(const std::filesystem::path& source_dir);

// Lower-case hex SHA-256 (OpenSSL EVP); empty only if OpenSSL fails.
std::string sha256_hex(std::string_view bytes);

}  // namespace tigress::conformance
