#include "conformance/replay/replay_mode.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "conformance/framework/expiry_grace.hpp"
#include "conformance/preflight/preflight.hpp"
#include "conformance/replay/transcript_replay.hpp"
#include "harness/connection_flags.hpp"
#include "harness/redaction.hpp"
#include "common/cli_numbers.hpp"

namespace tigress::conformance {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kUsage = R"(usage: tigress-conform replay --target URL (--ca FILE | --insecure)
                              [--timeout SECONDS] [--expiry-grace SEC] [--report-json FILE]
                              [gateway options] PATH...

Replays protocol transcripts (vectors/transcripts/*.json, schema transcript_schema_v1.json)
against the relay at URL. PATH is a transcript file or a folder of them. Prints one line per
transcript, PASS or FAIL with the first mismatch. Transcripts run one after the other; the
expiry transcript waits its mailbox's lifetime plus the expiry grace.

  --target URL         the relay, https://host[:port][/prefix]
  --ca FILE            trust this PEM bundle for the relay's certificate
  --insecure           do not verify the relay's certificate
  --timeout SECONDS    deadline of one exchange (default 10)
  --expiry-grace SEC   how long after expiration a mailbox may still be served (default 60, as
                       in relay mode); a relay that deletes at the instant passes with 0
  --report-json FILE   machine-readable results (schema tigress-replay-report/1)

Exit status: 0 when every transcript passed; 1 when one failed or none was found; 2 for usage
errors; 3 when the target could not be tested (the preflight failed; no transcript ran).
)";

int usage_error(const std::string& message) {
  std::cerr << "tigress-conform replay: " << message << "\n";
  return 2;
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

json to_report(const std::vector<ReplayOutcome>& outcomes, const std::string& target, int expiry_grace) {
  json report;
  report["schema"] = "tigress-replay-report/1";
  report["target"] = target;
  report["expiryGraceSeconds"] = expiry_grace;
  int passed = 0;
  json list = json::array();
  for (const auto& o : outcomes) {
    passed += o.passed ? 1 : 0;
    list.push_back({{"name", o.name}, {"file", o.file}, {"verdict", o.passed ? "PASS" : "FAIL"},
                    {"stepsRun", o.steps_run}, {"stepsTotal", o.steps_total}, {"detail", o.first_mismatch},
                    {"elapsedMs", o.elapsed_ms}});
  }
  report["summary"] = {{"total", outcomes.size()}, {"pass", passed}, {"fail", static_cast<int>(outcomes.size()) - passed}};
  report["transcripts"] = list;
  return report;
}

}  // namespace

const char* replay_mode_usage() { return kUsage; }

int run_replay_mode(const std::vector<std::string>& args) {
  std::string target_url, report_json;
  harness::TlsOptions tls;
  harness::ClientLimits limits;
  harness::ConnectionOptions connection;
  int expiry_grace = kDefaultExpiryGraceSeconds;
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage << harness::kConnectionUsage;
      return 0;
    }
    auto connection_flag = harness::take_connection_flag(args, i, connection);
    if (!connection_flag) return usage_error(connection_flag.error().message());
    if (*connection_flag) continue;
    if (flag == "--insecure") {
      tls.insecure = true;
      continue;
    }
    if (flag.rfind("--", 0) != 0) {
      paths.push_back(flag);
      continue;
    }
    if (i + 1 >= args.size()) return usage_error(flag + " needs a value (see --help)");
    const std::string& value = args[++i];
    if (flag == "--target") target_url = value;
    else if (flag == "--ca") tls.ca_file = value;
    else if (flag == "--report-json") report_json = value;
    else if (flag == "--timeout") {
      auto seconds = cli::parse_count(value);
      if (!seconds || *seconds < 1 || *seconds > 600) return usage_error("--timeout takes 1..600 seconds");
      limits.timeout = std::chrono::seconds(*seconds);
    } else if (flag == "--expiry-grace") {
      auto seconds = parse_expiry_grace(value);
      if (!seconds) return usage_error(kExpiryGraceRangeError);
      expiry_grace = *seconds;
    } else {
      return usage_error("unknown option " + flag + " (see --help)");
    }
  }
  if (target_url.empty()) return usage_error("needs --target URL");
  if (auto gateway = harness::check_connection_options(connection); !gateway) return usage_error(gateway.error().message());
  if (tls.ca_file.empty() == !tls.insecure) return usage_error("give exactly one of --ca FILE and --insecure");
  if (paths.empty()) return usage_error("needs at least one transcript file or folder");
  auto target = harness::parse_target(target_url);
  if (!target) return usage_error("--target: " + target.error().message());
  std::string error;
  const auto files = collect(paths, error);
  if (!error.empty()) return usage_error(error);
  if (files.empty()) {
    std::cerr << "tigress-conform replay: no transcript found\n";
    return 1;
  }

  const PreflightResult preflight = run_preflight(*target, tls, limits, connection);
  std::cerr << "tigress-conform replay: " << describe_preflight(preflight);
  if (!preflight.passed) return kExitUntestable;

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
      outcome = replay_transcript(transcript, file.string(), client, std::chrono::seconds(expiry_grace));
    }
    std::printf("%s %s (%d/%d steps, %.0f ms)%s%s\n", outcome.passed ? "PASS" : "FAIL",
                harness::printable(outcome.name, 100).c_str(), outcome.steps_run, outcome.steps_total,
                outcome.elapsed_ms, outcome.passed ? "" : ": ", harness::printable(outcome.first_mismatch, 600).c_str());
    std::fflush(stdout);
    outcomes.push_back(std::move(outcome));
  }
  const auto failed = std::count_if(outcomes.begin(), outcomes.end(), [](const auto& o) { return !o.passed; });
  std::printf("replay: %zu transcripts, %zu PASS, %ld FAIL\n", outcomes.size(), outcomes.size() - failed, static_cast<long>(failed));
  int status = failed == 0 ? 0 : 1;
  if (!report_json.empty()) {
    std::ofstream out(report_json, std::ios::binary | std::ios::trunc);
    out << to_report(outcomes, target->url(), expiry_grace).dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    if (!out) {
      std::cerr << "tigress-conform replay: cannot write " << report_json << "\n";
      status = 1;
    }
  }
  return status;
}

}  // namespace tigress::conformance
