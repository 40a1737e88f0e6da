// What a client conformance case gets: its own instrumented relay (fresh store, fresh
// certificate, nothing shared with other cases, so cases run in parallel), the shim driven
// through the contract of harness/SHIM.md, the relay's records of what the client sent, and on
// top of the recorder's verdict calls (framework/case_recorder.hpp) the client-specific ones.
// Every shim run and every request the relay saw goes into the case's wire log, redacted
// (secrets, claims) and bounded.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conformance/client_cases/evidence.hpp"
#include "conformance/framework/case_recorder.hpp"
#include "harness/adversary/instrumented_relay.hpp"
#include "harness/shim_runner.hpp"

namespace tigress::conformance::client_suite {

struct ClientRunOptions {
  std::vector<std::string> shim;              // the --shim words
  std::chrono::milliseconds deadline{20000};  // the suite kills a shim call after this
  int client_timeout_seconds = 5;             // --timeout handed to the shim
  bool strict = false;
  int jobs = 4;
  std::uint64_t seed = 0;
  harness::adversary::RelayTuning tuning;
};

// One shim call as the suite saw it.
struct ShimRun {
  std::string command;
  bool started = false;
  std::string start_error;
  harness::ShimOutcome outcome;
  bool out_written = false;  // the --out file exists and is not empty
  std::string out_text;

  bool finished() const { return started && !outcome.timed_out && !outcome.signalled; }
  bool succeeded() const { return finished() && outcome.exit_code == 0; }
  bool unsupported() const { return finished() && outcome.exit_code == harness::kShimUnsupported; }
  std::string describe() const;  // "exit 1", "timed out after 8000 ms", ... (no output)
};

struct ShareOptions {
  std::string algorithm;   // empty: the client's default
  std::string vertical;    // a, h, c or empty
  std::string rights;      // --rights; empty: the client's default
  bool extension = false;  // the plaintext carries an unknown top-level member (MBX-PI-02)
};

struct Share {
  ShimRun run;
  std::string url;  // the share URL as printed (with #secret)
  Bytes secret;
  std::string state;      // the initiator's state file
  std::string plaintext;  // the Provisioning Information it shared
  std::string marker;     // a random token inside plaintext, searched for in outputs
};

class ClientCaseContext : public CaseRecorder {
 public:
  ClientCaseContext(const CaseDefinition& definition, const ClientRunOptions& options);
  ~ClientCaseContext() override;
  ClientCaseContext(const ClientCaseContext&) = delete;
  ClientCaseContext& operator=(const ClientCaseContext&) = delete;

  // ---- the relay ------------------------------------------------------------------------------
  void start() override;  // the relay and the private directory; ERROR when they cannot be set up
  harness::adversary::InstrumentedRelay& relay() { return *relay_; }
  void arm(std::string_view misbehaviour);  // ERROR for a name the catalogue lacks
  void disarm_all() { relay_->disarm_all(); }
  // From now on the shim's --ca is a fresh certificate that did not issue the relay's.
  void trust_unrelated_ca();
  std::vector<harness::adversary::RecordedExchange> exchanges() const { return relay_->exchanges(); }

  // ---- files ----------------------------------------------------------------------------------
  std::string path(const std::string& name) const;  // inside the case's private directory
  // A new Provisioning Information file with a random marker; returns its path.
  std::string provisioning_file(std::string& plaintext, std::string& marker, bool extension = false);

  // ---- the shim -------------------------------------------------------------------------------
  // COMMAND OPTIONS... --ca CA --timeout T. `deadline` overrides the suite's kill deadline.
  ShimRun run(const std::string& command, std::vector<std::string> options,
              std::optional<int> client_timeout = std::nullopt,
              std::optional<std::chrono::milliseconds> deadline = std::nullopt);
  Share share(const ShareOptions& options = {});
  ShimRun receive(const Share& share, const std::string& state, const std::string& out);
  ShimRun send(const std::string& state, std::string& plaintext, std::string& marker);
  ShimRun read(const std::string& state, const std::string& out);
  ShimRun remove(const std::string& state);
  ShimRun relinquish(const std::string& state);

  // Preconditions: SKIP when the shim says unsupported (89), ERROR when the call fails.
  void must(const ShimRun& run, const std::string& what);
  Share must_share(const ShareOptions& options = {});
  // Receives and checks the output equals the shared plaintext; returns the recipient's state.
  std::string must_receive(const Share& share);

  // ---- verdicts (and those of CaseRecorder) ---------------------------------------------------
  // Contract of a refusal: a non-zero exit within the deadline, nothing in --out and no sign of
  // the plaintext (its marker) on stdout. 89 (unsupported) makes the case SKIP.
  void expect_rejected(const ShimRun& run, const std::string& marker, const std::string& what);

  const ClientRunOptions& options() const { return options_; }

 private:
  void before_finish() override { log_relay_exchanges(); }
  void log_relay_exchanges();
  void log_shim(const std::vector<std::string>& argv, const ShimRun& run);

  const ClientRunOptions& options_;
  std::unique_ptr<harness::adversary::InstrumentedRelay> relay_;
  std::filesystem::path dir_;
  std::string ca_file_;
  std::size_t logged_exchanges_ = 0;
  int file_counter_ = 0;
};

}  // namespace tigress::conformance::client_suite
