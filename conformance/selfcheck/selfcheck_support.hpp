// What the self-checks against the real binaries share: a scratch folder, a reference relay
// started on 127.0.0.1 with a self-signed certificate, and a tigress-conform run read back
// through its JSON report.
#pragma once

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness/process.hpp"
#include "reference/codec/uuid.hpp"

namespace tigress::conformance::selfcheck {

inline const std::string kBin = TIGRESS_BIN_DIR;

// A fresh folder in the temporary directory, removed with everything in it at the end.
class ScratchDir {
 public:
  ScratchDir()
      : path_(std::filesystem::temp_directory_path() / ("tigress-selfcheck-" + codec::generate_uuid_v4()->to_string())) {
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  std::filesystem::path file(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

struct RunningRelay {
  harness::ChildProcess process;
  std::string url;  // "https://127.0.0.1:PORT"; empty when it did not start
  std::string ca;   // its certificate, for --ca
};

// tigress-relay on a free port of 127.0.0.1 with a fresh self-signed certificate written to
// `ca_file`, and `extra` arguments; stopped when the RunningRelay goes.
inline RunningRelay start_relay(const std::filesystem::path& ca_file, const std::vector<std::string>& extra) {
  using namespace std::chrono_literals;
  std::vector<std::string> argv = {kBin + "/tigress-relay", "--listen", "127.0.0.1:0", "--self-signed",
                                   "--cert-out", ca_file.string()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  auto child = harness::ChildProcess::start(argv, /*quiet_stderr=*/true);
  EXPECT_TRUE(child.ok()) << (child ? "" : child.error().message());
  auto url = child->wait_for_line_prefix("listening on ", 20s);
  EXPECT_TRUE(url.ok()) << (url ? "" : url.error().message());
  return RunningRelay{std::move(*child), url ? *url : "", ca_file.string()};
}

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline nlohmann::json read_json_file(const std::filesystem::path& path) {
  return nlohmann::json::parse(read_text(path), nullptr, false);
}

struct ConformRun {
  int exit_status = -1;
  nlohmann::json report;  // discarded when none was written
  double seconds = 0;     // wall time of the whole run
};

// `tigress-conform ARGS... --report-json REPORT`, waited for (at most `deadline`), its report read back.
inline ConformRun run_conform(std::vector<std::string> args, const std::filesystem::path& report,
                              std::chrono::seconds deadline = std::chrono::seconds(300)) {
  args.insert(args.begin(), kBin + "/tigress-conform");
  args.insert(args.end(), {"--report-json", report.string()});
  const auto start = std::chrono::steady_clock::now();
  auto child = harness::ChildProcess::start(args, /*quiet_stderr=*/false);
  EXPECT_TRUE(child.ok());
  ConformRun run;
  if (!child) return run;
  while (child->read_line(deadline)) {
  }
  run.exit_status = child->wait(deadline);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.report = read_json_file(report);
  return run;
}

}  // namespace tigress::conformance::selfcheck
