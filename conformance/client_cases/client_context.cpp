#include "conformance/client_cases/client_context.hpp"

#include <stdlib.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "reference/codec/base64.hpp"
#include "reference/codec/headers.hpp"
#include "reference/codec/uuid.hpp"
#include "reference/tls/tls_material.hpp"

namespace tigress::conformance::client_suite {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kOutputExcerpt = 2048;
// Every shim call and every request the relay saw: a case makes a few dozen; the bound only
// stops a client that floods the relay.
constexpr std::size_t kWireEntries = 1000;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::string text;
  char buffer[8192];
  // Bounded: a hostile client could write anything there.
  while (text.size() < (4u << 20) && (in.read(buffer, sizeof buffer) || in.gcount() > 0)) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
  }
  return text;
}

bool write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

std::string ShimRun::describe() const {
  if (!started) return "could not start: " + start_error;
  if (outcome.timed_out)
    return "still running at the suite's deadline, killed after " + std::to_string(outcome.elapsed.count()) + " ms";
  if (outcome.signalled) return "killed by signal " + std::to_string(outcome.signal);
  return "exit " + std::to_string(outcome.exit_code) + " after " + std::to_string(outcome.elapsed.count()) + " ms";
}

ClientCaseContext::ClientCaseContext(const CaseDefinition& definition, const ClientRunOptions& options)
    : CaseRecorder(definition, options.strict, kWireEntries), options_(options) {}

ClientCaseContext::~ClientCaseContext() {
  relay_.reset();
  if (!dir_.empty()) {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
}

void ClientCaseContext::start() {
  auto relay = harness::adversary::InstrumentedRelay::start(options_.tuning);
  if (!relay) abort_error("cannot start the instrumented relay: " + relay.error().message());
  relay_ = std::move(*relay);
  std::string pattern = (fs::temp_directory_path() / "tigress-client-case-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) abort_error("cannot create a private directory");
  dir_ = pattern;
  ca_file_ = path("relay-ca.pem");
  if (!write_file(ca_file_, relay_->ca_pem())) abort_error("cannot write " + ca_file_);
}

void ClientCaseContext::arm(std::string_view misbehaviour) {
  if (auto status = relay_->arm(misbehaviour); !status) abort_error(status.error().message());
}

void ClientCaseContext::trust_unrelated_ca() {
  auto other = tls::generate_self_signed({"localhost"}, {"127.0.0.1"}, 2);
  if (!other) abort_error("cannot generate a second certificate: " + other.error().message());
  ca_file_ = path("unrelated-ca.pem");
  if (!write_file(ca_file_, other->cert_pem)) abort_error("cannot write " + ca_file_);
}

std::string ClientCaseContext::path(const std::string& name) const { return (dir_ / name).string(); }

std::string ClientCaseContext::provisioning_file(std::string& plaintext, std::string& marker, bool extension) {
  auto token = codec::generate_uuid_v4();
  if (!token) abort_error("no randomness for the plaintext marker");
  marker = "tigress-marker-" + token->to_string();
  // Section 7: a JSON object with a string format and an object content.
  nlohmann::json info{{"format", "digitalwallet.generic.authorizationToken"},
                      {"content", {{"token", marker}, {"note", "client conformance plaintext"}}}};
  if (extension) info["x-extension"] = 1;
  plaintext = info.dump();
  const std::string file = path("plaintext-" + std::to_string(++file_counter_) + ".json");
  if (!write_file(file, plaintext)) abort_error("cannot write " + file);
  return file;
}

ShimRun ClientCaseContext::run(const std::string& command, std::vector<std::string> options,
                               std::optional<int> client_timeout, std::optional<std::chrono::milliseconds> deadline) {
  harness::ShimInvocation invocation;
  invocation.argv = options_.shim;
  invocation.argv.push_back(command);
  invocation.argv.insert(invocation.argv.end(), options.begin(), options.end());
  invocation.argv.insert(
      invocation.argv.end(),
      {"--ca", ca_file_, "--timeout", std::to_string(client_timeout.value_or(options_.client_timeout_seconds))});
  invocation.timeout = deadline.value_or(options_.deadline);
  ShimRun result;
  result.command = command;
  auto outcome = harness::run_shim(invocation);
  if (outcome) {
    result.started = true;
    result.outcome = std::move(*outcome);
  } else {
    result.start_error = outcome.error().message();
  }
  // A share URL on stdout carries the secret: its spellings are redacted before anything is logged.
  const std::string line = first_line(result.outcome.stdout_text);
  if (const auto hash = line.find('#'); hash != std::string::npos) {
    add_secret(line.substr(hash + 1), "share-secret");
    if (auto secret = secret_from_share_url(line)) {
      for (const auto& spelling : secret_spellings(*secret)) add_secret(spelling.text, "share-secret");
    }
  }
  for (std::size_t i = 0; i + 1 < options.size(); ++i) {
    if (options[i] == "--out") {
      result.out_text = read_file(options[i + 1]);
      result.out_written = !result.out_text.empty();
    }
  }
  log_relay_exchanges();
  log_shim(invocation.argv, result);
  if (!result.started) abort_error("the shim cannot be started: " + result.start_error);
  return result;
}

Share ClientCaseContext::share(const ShareOptions& options) {
  Share share;
  const std::string input = provisioning_file(share.plaintext, share.marker, options.extension);
  share.state = path("initiator-" + std::to_string(++file_counter_) + ".state");
  std::vector<std::string> args{"--relay", relay_->base_url(), "--in", input, "--state", share.state};
  if (!options.algorithm.empty()) args.insert(args.end(), {"--alg", options.algorithm});
  if (!options.vertical.empty()) args.insert(args.end(), {"--vertical", options.vertical});
  if (!options.rights.empty()) args.insert(args.end(), {"--rights", options.rights});
  share.run = run("share", args);
  share.url = first_line(share.run.outcome.stdout_text);
  if (auto secret = secret_from_share_url(share.url)) share.secret = *secret;
  return share;
}

ShimRun ClientCaseContext::receive(const Share& share, const std::string& state, const std::string& out) {
  return run("receive", {"--url", share.url, "--state", state, "--out", out});
}

ShimRun ClientCaseContext::send(const std::string& state, std::string& plaintext, std::string& marker) {
  const std::string input = provisioning_file(plaintext, marker);
  return run("send", {"--state", state, "--in", input});
}

ShimRun ClientCaseContext::read(const std::string& state, const std::string& out) {
  return run("read", {"--state", state, "--out", out});
}

ShimRun ClientCaseContext::remove(const std::string& state) { return run("delete", {"--state", state}); }

ShimRun ClientCaseContext::relinquish(const std::string& state) { return run("relinquish", {"--state", state}); }

namespace {

// The requirement a step of the shim contract exercises: a client that fails the step fails
// that requirement (the suite's own failures are ERROR, never these).
const char* step_requirement(const std::string& command) {
  if (command == "share") return "MBX-CLI-01";    // the initiator creates the mailbox, sends the link
  if (command == "receive") return "MBX-CLI-02";  // the recipient reads with a new claim
  if (command == "read") return "MBX-CLI-02";     // a bound party reads again
  if (command == "send") return "MBX-ENC-07";     // encrypts and uploads a message
  if (command == "delete") return "MBX-CLI-04";   // closes the mailbox
  if (command == "relinquish") return "MBX-CLI-02";
  return "MBX-URL-05";  // preview
}

}  // namespace

void ClientCaseContext::must(const ShimRun& run, const std::string& what) {
  if (run.unsupported()) skip("the client does not support " + what + " (exit 89)");
  if (!run.succeeded()) {
    abort_fail(what + " failed (" + run.describe() + "; " + step_requirement(run.command) +
               ", the requirement this step exercises): " + redacted(run.outcome.stderr_text, 600));
  }
}

Share ClientCaseContext::must_share(const ShareOptions& options) {
  Share share = this->share(options);
  must(share.run, "share" + (options.algorithm.empty() ? std::string() : " --alg " + options.algorithm));
  if (share.secret.empty())
    abort_fail("share printed no share URL with a decodable #secret on its first line (MBX-URL-01, MBX-URL-04)");
  return share;
}

std::string ClientCaseContext::must_receive(const Share& share) {
  const std::string state = path("recipient-" + std::to_string(++file_counter_) + ".state");
  const std::string out = path("received-" + std::to_string(file_counter_) + ".json");
  must(receive(share, state, out), "receive");
  const auto got = nlohmann::json::parse(read_file(out), nullptr, false);
  check(!got.is_discarded() && got == nlohmann::json::parse(share.plaintext),
        "receive wrote something other than the shared Provisioning Information to --out");
  return state;
}

void ClientCaseContext::expect_rejected(const ShimRun& run, const std::string& marker, const std::string& what) {
  if (run.unsupported()) skip(what + ": the client reports the command as unsupported (exit 89)");
  if (!check(run.finished(), what + ": " + run.describe())) return;
  check(run.outcome.exit_code != 0, what + ": the client exited 0 (it accepted the response)");
  check(!run.out_written, what + ": the client wrote " + std::to_string(run.out_text.size()) + " bytes to --out");
  check(marker.empty() || (run.outcome.stdout_text.find(marker) == std::string::npos &&
                           run.out_text.find(marker) == std::string::npos),
        what + ": the plaintext reached the client's output");
}

void ClientCaseContext::log_relay_exchanges() {
  if (!relay_) return;
  const auto all = relay_->exchanges();
  for (; logged_exchanges_ < all.size(); ++logged_exchanges_) {
    const auto& exchange = all[logged_exchanges_];
    // Claims identify a device: redacted like the secret (they are compared, never shown).
    if (const std::string* claim = exchange.header(codec::kDeviceClaimHeader)) add_secret(*claim, "device-claim");
    // Notification tokens identify a device to its push service (MBX-PRIV-05): redacted too.
    for (const auto& token : notification_token_data(exchange.body)) add_secret(token, "notification-token");
    std::string response =
        exchange.status == 0 ? std::string("(no answer)") : "HTTP " + std::to_string(exchange.status);
    if (!exchange.misbehaviour.empty()) response += " [misbehaviour: " + exchange.misbehaviour + "]";
    response += "\n" + exchange.response_body;
    log(exchange.raw, response, 0);
  }
}

void ClientCaseContext::log_shim(const std::vector<std::string>& argv, const ShimRun& run) {
  std::string command = "shim>";
  for (const auto& word : argv) command += " " + word;
  std::string outcome = run.describe() + "\nstdout: " + run.outcome.stdout_text.substr(0, kOutputExcerpt) +
                        "\nstderr: " + run.outcome.stderr_text.substr(0, kOutputExcerpt);
  log(command, outcome, static_cast<double>(run.outcome.elapsed.count()));
}

}  // namespace tigress::conformance::client_suite
