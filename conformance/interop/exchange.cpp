#include "conformance/interop/exchange.hpp"

#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <random>

#include <nlohmann/json.hpp>

#include "harness/redaction.hpp"
#include "harness/shim_runner.hpp"
#include "reference/codec/base64.hpp"
#include "reference/codec/share_url.hpp"

namespace tigress::conformance::interop {
namespace {

constexpr std::size_t kStderrExcerptBytes = 2048;
constexpr std::size_t kMaxOutputFileBytes = 1 << 20;

enum class Expect { kSuccess, kRefusal };

std::string random_tag() {
  std::random_device device;
  std::uniform_int_distribution<unsigned> digit(0, 15);
  std::string tag;
  for (int i = 0; i < 12; ++i) tag += "0123456789ABCDEF"[digit(device)];
  return tag;
}

// Provisioning Information (draft section 7) unique to this cell, so nothing left over from
// another cell or run can make a comparison pass.
std::string provisioning_info(const std::string& what, const std::string& tag) {
  nlohmann::json document = {{"format", "digitalwallet.carkey.ccc"},
                             {"content", {{"interop", what}, {"vehicleId", "VIN-INTEROP-" + tag}}}};
  return document.dump() + "\n";
}

std::optional<std::string> read_bounded(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string text;
  char buffer[8192];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxOutputFileBytes) break;
  }
  return text;
}

// A client may re-serialise the JSON it decrypted; the same JSON value counts as equal.
bool same_content(const std::string& expected, const std::string& actual) {
  if (expected == actual) return true;
  const auto a = nlohmann::json::parse(expected, nullptr, false);
  const auto b = nlohmann::json::parse(actual, nullptr, false);
  return !a.is_discarded() && !b.is_discarded() && a == b;
}

class Driver {
 public:
  Driver(const std::vector<std::string>& initiator, const std::vector<std::string>& recipient,
         const ExchangeSettings& settings)
      : initiator_(initiator), recipient_(recipient), settings_(settings), tag_(random_tag()) {}

  Cell run() {
    const std::string offer = provisioning_info("offer", tag_);
    const std::string reply = provisioning_info("reply", tag_);
    write(file("offer.json"), offer);
    write(file("reply.json"), reply);

    bool ok =
        step("share", initiator_,
             {"share", "--relay", settings_.relay_url, "--in", file("offer.json"), "--state", file("initiator.state")},
             Expect::kSuccess, [&](const harness::ShimOutcome& outcome, std::string& detail) {
               return take_share_url(outcome.stdout_text, detail);
             });
    ok =
        ok && step("receive", recipient_,
                   {"receive", "--url", share_url_, "--state", file("recipient.state"), "--out", file("received.json")},
                   Expect::kSuccess, output_equals(file("received.json"), offer));
    ok = ok && step("reply", recipient_, {"send", "--state", file("recipient.state"), "--in", file("reply.json")},
                    Expect::kSuccess, nullptr);
    ok = ok && step("read", initiator_, {"read", "--state", file("initiator.state"), "--out", file("read.json")},
                    Expect::kSuccess, output_equals(file("read.json"), reply));
    ok = ok && step("second-device", recipient_,
                    {"receive", "--url", share_url_, "--state", file("second.state"), "--out", file("second.json")},
                    Expect::kRefusal, nothing_written(file("second.json")));
    ok = ok && step("delete", initiator_, {"delete", "--state", file("initiator.state")}, Expect::kSuccess, nullptr);
    deleted_ = ok;
    ok = ok && step("read-after-delete", recipient_,
                    {"read", "--state", file("recipient.state"), "--out", file("after.json")}, Expect::kRefusal,
                    nothing_written(file("after.json")));
    cleanup();
    return std::move(cell_);
  }

 private:
  using Check = std::function<bool(const harness::ShimOutcome&, std::string&)>;

  std::string file(const std::string& name) const { return settings_.work_dir + "/" + name; }

  static void write(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  }

  std::vector<std::string> argv_for(const std::vector<std::string>& shim, std::vector<std::string> command) const {
    std::vector<std::string> argv = shim;
    argv.insert(argv.end(), command.begin(), command.end());
    if (!settings_.ca_file.empty()) argv.insert(argv.end(), {"--ca", settings_.ca_file});
    if (settings_.insecure) argv.push_back("--insecure");
    argv.insert(argv.end(), {"--timeout", std::to_string(settings_.client_timeout_seconds)});
    return argv;
  }

  bool take_share_url(const std::string& stdout_text, std::string& detail) {
    const std::string line = stdout_text.substr(0, stdout_text.find('\n'));
    auto url = codec::parse_share_url(line);
    if (!url || !url->secret) {
      // The line may hold a secret in some other shape: say what is wrong, not what it was.
      detail = "the first stdout line is not a share URL with #secret" +
               std::string(url ? "" : " (" + url.error().message() + ")");
      return false;
    }
    share_url_ = line;
    redactor_.add(line, "share-url");
    const std::string fragment = line.substr(line.find('#') + 1);
    redactor_.add(fragment, "share-secret");
    redactor_.add(codec::base64_encode(url->secret->reveal()), "share-secret");
    redactor_.add(codec::base64url_encode_unpadded(url->secret->reveal()), "share-secret");
    detail = "printed a share URL with a " + std::to_string(url->secret->size()) + "-octet secret";
    return true;
  }

  Check output_equals(std::string path, std::string expected) const {
    return [path, expected](const harness::ShimOutcome&, std::string& detail) {
      auto written = read_bounded(path);
      if (!written) {
        detail = "exit 0 but nothing was written to --out";
        return false;
      }
      if (!same_content(expected, *written)) {
        detail = "--out holds " + std::to_string(written->size()) + " bytes that differ from what the other side sent";
        return false;
      }
      detail = "--out equals what the other side sent";
      return true;
    };
  }

  static Check nothing_written(std::string path) {
    return [path](const harness::ShimOutcome&, std::string& detail) {
      auto written = read_bounded(path);
      if (written && !written->empty()) {
        detail = "refused (exit 1) but wrote " + std::to_string(written->size()) + " bytes to --out";
        return false;
      }
      detail = "refused (exit 1), nothing written";
      return true;
    };
  }

  // Runs one step; records it; true when it passed.
  bool step(const std::string& name, const std::vector<std::string>& shim, std::vector<std::string> command,
            Expect expect, const Check& check) {
    StepResult result;
    result.name = name;
    harness::ShimInvocation invocation;
    invocation.argv = argv_for(shim, std::move(command));
    invocation.timeout = settings_.step_deadline;
    invocation.max_output_bytes = 256 * 1024;
    auto outcome = harness::run_shim(invocation);
    if (!outcome) {
      result.detail = "cannot start the shim: " + outcome.error().message();
    } else {
      result.exit_code = outcome->timed_out || outcome->signalled ? -1 : outcome->exit_code;
      result.timed_out = outcome->timed_out;
      result.signalled = outcome->signalled;
      result.elapsed_ms = outcome->elapsed.count();
      result.stderr_excerpt = harness::printable(redactor_.apply(outcome->stderr_text), kStderrExcerptBytes);
      judge(*outcome, expect, check, result);
    }
    result.detail = harness::printable(redactor_.apply(result.detail), 1024);
    const bool passed = result.verdict == CellVerdict::kPass;
    if (!passed && cell_.failed_step.empty()) {
      cell_.failed_step = name;
      cell_.verdict = result.verdict;
    }
    cell_.steps.push_back(std::move(result));
    return passed;
  }

  void judge(const harness::ShimOutcome& outcome, Expect expect, const Check& check, StepResult& result) {
    result.verdict = CellVerdict::kFail;
    const auto deadline_s = std::to_string(settings_.step_deadline.count() / 1000);
    if (outcome.timed_out) {
      result.detail = "no exit within " + deadline_s + " s; killed";
      return;
    }
    if (outcome.signalled) {
      result.detail = "crashed with signal " + std::to_string(outcome.signal);
      return;
    }
    const int code = outcome.exit_code;
    if (code == harness::kShimUnsupported) {
      result.verdict = CellVerdict::kSkip;
      result.detail = "the client reports this unsupported (exit 89)";
      return;
    }
    if (expect == Expect::kSuccess && code != 0) {
      result.detail = "exit " + std::to_string(code) + ", expected 0";
      return;
    }
    if (expect == Expect::kRefusal && code != 1) {
      result.detail = code == 0 ? "exit 0: accepted where it must be refused"
                                : "exit " + std::to_string(code) + ", expected 1 (refused)";
      return;
    }
    std::string detail;
    if (check && !check(outcome, detail)) {
      result.detail = detail;
      return;
    }
    result.detail = detail.empty() ? "exit " + std::to_string(code) : detail;
    result.verdict = CellVerdict::kPass;
  }

  // Best effort: a share left behind by a failed cell is deleted (not recorded).
  void cleanup() {
    if (share_url_.empty() || deleted_) return;
    harness::ShimInvocation invocation;
    invocation.argv = argv_for(initiator_, {"delete", "--state", file("initiator.state")});
    invocation.timeout = settings_.step_deadline;
    (void)harness::run_shim(invocation);
  }

  const std::vector<std::string>& initiator_;
  const std::vector<std::string>& recipient_;
  const ExchangeSettings& settings_;
  const std::string tag_;
  harness::Redactor redactor_;
  std::string share_url_;
  bool deleted_ = false;
  Cell cell_{0, 0, 0, CellVerdict::kPass, {}, {}};
};

}  // namespace

const std::vector<std::string>& exchange_step_names() {
  static const std::vector<std::string> names{"share",  "receive",          "reply", "read", "second-device",
                                              "delete", "read-after-delete"};
  return names;
}

Cell run_exchange(const std::vector<std::string>& initiator, const std::vector<std::string>& recipient,
                  const ExchangeSettings& settings) {
  return Driver(initiator, recipient, settings).run();
}

}  // namespace tigress::conformance::interop
