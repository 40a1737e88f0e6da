#include "conformance/replay/replay_mode.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "conformance/preflight/preflight.hpp"
#include "conformance/replay/transcript_replay.hpp"
#include "harness/connection_flags.hpp"
#include "harness/redaction.hpp"
#include "conformance/cli/shared_flags.hpp"
#include "conformance/framework/catalogue.hpp"
#include "conformance/framework/target_health.hpp"
#include "conformance/reports/run_reports.hpp"

namespace tigress::conformance {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kProgram = "tigress-conform replay";

const cli::CommandHelp kHelp{
    "usage: tigress-conform replay --target URL (--ca FILE | --insecure) [options] PATH...",
    "Replays protocol transcripts (vectors/transcripts/*.json, schema transcript_schema_v1.json)\n"
    "against the relay at URL. PATH is a transcript file or a folder of them. Prints one line per\n"
    "transcript, PASS or FAIL with the first mismatch. Transcripts run one after the other; the\n"
    "expiry transcript waits its mailbox's lifetime plus the expiry grace. Each transcript is one case of the reports "
    "(replay/NAME), with\n"
    "the requirements it names; the JSON report also lists them under \"transcripts\".\n",
    std::string(harness::kConnectionEnvironmentUsage) +
        "\nExit status: 0 when every transcript passed; 1 when one failed or none was found; 2 for usage\n"
        "errors; 3 when the target could not be tested (the preflight failed; no transcript ran).\n"};

struct ReplayFlags {
  std::string target_url, catalogue_path = default_catalogue_path();
  harness::TlsOptions tls;
  harness::ConnectionOptions connection;
  RequestedReports requested;
  int timeout_seconds = 10;
  int expiry_grace = kDefaultExpiryGraceSeconds;
  std::vector<std::string> paths;
};

cli::FlagTable replay_flag_table(ReplayFlags& f) {
  cli::FlagTable table;
  table.group("options:");
  add_target_flags(table, f.target_url, f.tls, "the relay, https://host[:port][/prefix]");
  add_timeout_flag(table, f.timeout_seconds, "deadline of one exchange (default 10)");
  add_expiry_grace_flag(table, f.expiry_grace,
                        "how long after expiration a mailbox may still be served (default " +
                            std::to_string(kDefaultExpiryGraceSeconds) +
                            ", as\nin relay mode); a relay that deletes at the instant passes with 0");
  add_catalogue_flag(table, f.catalogue_path);
  add_report_flags(table, f.requested, /*with_expectations=*/false);
  harness::add_connection_flags(table, f.connection);
  table.positional("PATH", [&f](const std::string& path) -> Status {
    f.paths.push_back(path);
    return {};
  });
  return table;
}

// Files named by PATHs: folders contribute their *.json files (not recursively), sorted.
std::vector<fs::path> collect(const std::vector<std::string>& paths, std::string& error) {
  std::vector<fs::path> files;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> found;
      for (const auto& entry : fs::directory_iterator(p, ec)) {
        if (entry.is_regular_file() && entry.path().extension() == ".json") found.push_back(entry.path());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(p, ec)) {
      files.emplace_back(p);
    } else {
      error = "no such file or folder: " + p;
      return {};
    }
  }
  return files;
}

// The per-transcript list of the JSON report (its "transcripts" member; SCHEMA.md).
json transcripts_member(const std::vector<ReplayOutcome>& outcomes) {
  json list = json::array();
  for (const auto& o : outcomes) {
    list.push_back({{"name", o.name},
                    {"file", o.file},
                    {"verdict", o.passed ? "PASS" : "FAIL"},
                    {"stepsRun", o.steps_run},
                    {"stepsTotal", o.steps_total},
                    {"detail", o.first_mismatch},
                    {"elapsedMs", o.elapsed_ms}});
  }
  return list;
}

CaseResult transcript_case(const ReplayOutcome& outcome, const std::vector<std::string>& requirements) {
  CaseResult result;
  result.id = "replay/" + outcome.name;
  result.title = "transcript " + outcome.file + " replayed step by step";
  result.section = "replay";
  result.category = Category::kMessageFormat;
  result.level = Level::kMust;
  result.requirements = requirements;
  result.verdict = outcome.passed ? Verdict::kPass : Verdict::kFail;
  result.detail = outcome.passed ? std::to_string(outcome.steps_total) + " steps as recorded" : outcome.first_mismatch;
  result.elapsed_ms = outcome.elapsed_ms;
  return result;
}

std::vector<std::string> cited_requirements(const json& transcript) {
  std::vector<std::string> out;
  if (!transcript.is_object() || !transcript.contains("requirements") || !transcript["requirements"].is_array())
    return out;
  for (const auto& id : transcript["requirements"]) {
    if (id.is_string()) out.push_back(id.get<std::string>());
  }
  return out;
}

}  // namespace

std::string replay_mode_usage() {
  ReplayFlags flags;
  return cli::render_help(kHelp, replay_flag_table(flags));
}

int run_replay_mode(const std::vector<std::string>& args, const std::string& command_line) {
  ReplayFlags f;
  const cli::FlagTable table = replay_flag_table(f);
  if (auto exit_status = cli::parse_or_exit(table, args, kHelp, kProgram)) return *exit_status;
  const std::string& target_url = f.target_url;
  const harness::TlsOptions& tls = f.tls;
  const harness::ConnectionOptions& connection = f.connection;
  const std::vector<std::string>& paths = f.paths;
  harness::ClientLimits limits;
  limits.timeout = std::chrono::seconds(f.timeout_seconds);
  if (target_url.empty()) return cli::usage_error(kProgram, "needs --target URL");
  if (auto gateway = harness::check_connection_options(connection); !gateway)
    return cli::usage_error(kProgram, gateway.error().message());
  if (auto trust = check_trust_flags(tls, true); !trust) return cli::usage_error(kProgram, trust.error().message());
  if (paths.empty()) return cli::usage_error(kProgram, "needs at least one transcript file or folder");
  auto target = harness::parse_target(target_url);
  if (!target) return cli::usage_error(kProgram, "--target: " + target.error().message());
  std::string error;
  const auto files = collect(paths, error);
  if (!error.empty()) return cli::usage_error(kProgram, error);
  if (files.empty()) {
    std::cerr << "tigress-conform replay: no transcript found\n";
    return 1;
  }

  std::optional<Catalogue> catalogue;
  f.requested.catalogue = f.catalogue_path;
  if (f.requested.any()) {
    auto loaded = load_catalogue(f.catalogue_path);
    if (!loaded) return cli::usage_error(kProgram, "catalogue " + f.catalogue_path + ": " + loaded.error().message());
    catalogue = std::move(*loaded);
  }

  const PreflightResult preflight = run_preflight(*target, tls, limits, connection);
  std::cerr << "tigress-conform replay: " << describe_preflight(preflight);
  if (!preflight.passed) {
    if (!catalogue) return kExitUntestable;
    RunMetadata metadata = describe_run(RunSummary{}, *catalogue, "replay", target->url(), command_line, "", false);
    metadata.preflight = preflight;
    return finish_untestable_run(f.requested, *catalogue, std::move(metadata), kProgram);
  }
  RunSummary summary;
  summary.started_at = utc_now();
  const auto started = std::chrono::steady_clock::now();

  const harness::WireClient client(*target, tls, limits, connection);
  std::vector<ReplayOutcome> outcomes;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    const json transcript = json::parse(text.str(), nullptr, false);
    ReplayOutcome outcome;
    if (transcript.is_discarded()) {
      outcome.file = file.string();
      outcome.name = file.stem().string();
      outcome.first_mismatch = "not JSON";
    } else {
      outcome = replay_transcript(transcript, file.string(), client, std::chrono::seconds(f.expiry_grace));
    }
    summary.results.push_back(transcript_case(outcome, cited_requirements(transcript)));
    std::printf("%s %s (%d/%d steps, %.0f ms)%s%s\n", outcome.passed ? "PASS" : "FAIL",
                harness::printable(outcome.name, 100).c_str(), outcome.steps_run, outcome.steps_total,
                outcome.elapsed_ms, outcome.passed ? "" : ": ",
                harness::printable(outcome.first_mismatch, 600).c_str());
    std::fflush(stdout);
    outcomes.push_back(std::move(outcome));
  }
  const auto failed = std::count_if(outcomes.begin(), outcomes.end(), [](const auto& o) { return !o.passed; });
  std::printf("replay: %zu transcripts, %zu PASS, %ld FAIL\n", outcomes.size(), outcomes.size() - failed,
              static_cast<long>(failed));
  int status = failed == 0 ? 0 : 1;
  summary.recount();
  summary.finished_at = utc_now();
  summary.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (catalogue) {
    RunMetadata metadata = describe_run(summary, *catalogue, "replay", target->url(), command_line, "", false);
    metadata.preflight = preflight;
    metadata.mode_members = {{"expiryGraceSeconds", f.expiry_grace}, {"transcripts", transcripts_member(outcomes)}};
    if (!write_requested_reports(f.requested, summary, *catalogue, metadata, kProgram)) status = 1;
  }
  return status;
}

}  // namespace tigress::conformance
