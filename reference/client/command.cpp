// The shared part of a tigress-client command (command.hpp): options for the relay API, the
// notification token, refusals, the plaintext's destination, loading a state file.
#include "reference/client/command.hpp"

#include <sys/stat.h>

#include <fstream>

#include "reference/codec/base64.hpp"
#include "reference/codec/provisioning.hpp"
#include "reference/codec/uuid.hpp"

namespace tigress::client {
namespace {

constexpr std::size_t kMaxInputBytes = 1 << 20;
constexpr long long kMaxTimeout = 3600;

Result<std::string> read_input(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("cannot read " + path);
  std::string text;
  char buffer[8192];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxInputBytes) return make_error(path + " is larger than 1 MiB");
  }
  if (in.bad()) return make_error("cannot read " + path);
  return text;
}

}  // namespace

std::optional<long long> parse_positive(const std::string& text, long long max) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  long long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value <= 0 || value > max) return std::nullopt;
  return value;
}

bool path_exists(const std::string& path) {
  struct stat info {};
  return ::lstat(path.c_str(), &info) == 0;
}

Result<std::string> read_provisioning_file(const std::string& path) {
  auto text = read_input(path);
  if (!text) return text.error();
  if (auto info = codec::parse_provisioning_info(*text); !info) {
    return make_error(path + " is not Provisioning Information: " + info.error().message());
  }
  return text;
}

codec::ShareUrl address_only(const codec::ShareUrl& url) {
  codec::ShareUrl copy = url;
  copy.secret.reset();
  return copy;
}

Outcome Command::run() {
  if (auto options = api_options(); !options) return usage(options.error().message());
  const std::string& name = line_.command;
  if (name == "share") return share();
  if (name == "receive") return receive();
  if (name == "preview") return preview();
  if (name == "send") return send();
  if (name == "read") return read();
  if (name == "delete") return remove();
  if (name == "relinquish") return relinquish();
  return usage("unknown command " + name);
}

Result<ApiOptions> Command::api_options() const {
  ApiOptions options;
  options.insecure = line_.flag("insecure");
  if (auto ca = line_.value("ca")) {
    if (options.insecure) return make_error("--ca and --insecure exclude each other");
    options.ca_file = *ca;
  }
  if (auto text = line_.value("timeout")) {
    auto seconds = parse_positive(*text, kMaxTimeout);
    if (!seconds) return make_error("--timeout takes whole seconds from 1 to 3600");
    options.timeout = std::chrono::seconds(*seconds);
  }
  options.progress = [this](std::string_view text) { progress(text); };
  options.defects = defects_;
  if (defects_.no_timeout) options.timeout = std::chrono::hours(24);
  if (defects_.unbounded_response) options.max_response_bytes = SIZE_MAX;
  return options;
}

Result<std::unique_ptr<RelayApi>> Command::connect(const RelayOrigin& origin, const codec::Secret* secret,
                                                   std::string fragment) const {
  auto options = api_options();
  if (!options) return options.error();
  if (defects_.sends_secret && secret != nullptr) {
    options->leaked_secret = codec::base64url_encode_unpadded(secret->reveal());
  }
  if (defects_.secret_in_body && secret != nullptr) {
    // A "recovery hint" that URL-encodes the key octets: %XX for every byte.
    static constexpr char kDigits[] = "0123456789ABCDEF";
    for (auto octet : secret->reveal()) {
      options->leaked_body_member += {'%', kDigits[octet >> 4], kDigits[octet & 0x0F]};
    }
  }
  if (defects_.keeps_fragment) options->target_suffix = std::move(fragment);
  if (options->insecure) progress("TLS certificate verification is OFF (--insecure)");
  return RelayApi::connect(origin, std::move(*options));
}

// notification-token variant: a fresh random token per message (MBX-PRIV-05), named on
// stderr as a client's own log would (the suite must redact it from its reports).
Result<std::optional<codec::NotificationToken>> Command::notification_token() const {
  if (!defects_.variants.notification_token) return std::optional<codec::NotificationToken>{};
  auto token = codec::generate_uuid_v4();
  if (!token) return make_error("cannot generate a notification token");
  const std::string data = "tigress-push-" + token->to_string();
  progress("registered notification token " + data);
  return std::optional<codec::NotificationToken>(codec::NotificationToken{"tigress-test-push", data});
}

// ignores-refusals: a refused send, delete or relinquish reported as done.
Outcome Command::refused(const Error& error) const {
  if (defects_.ignores_refusals) {
    progress("relay refused (" + error.message() + "); carrying on");
    return {};
  }
  return failure(error);
}

Outcome Command::emit_plaintext(const std::string& plaintext) const {
  if (auto path = line_.value("out")) {
    // The plaintext is the credential itself: owner-only, like the state file.
    if (auto status = write_private_file(*path, plaintext); !status) return failure(status.error());
    progress("wrote the Provisioning Information to " + *path);
    return {};
  }
  out_ << plaintext;
  if (plaintext.empty() || plaintext.back() != '\n') out_ << '\n';
  out_.flush();
  return {};
}

Result<Command::Loaded> Command::load_and_connect() const {
  auto state = load_state(*line_.value("state"));
  if (!state) return state.error();
  auto mailbox = codec::parse_mailbox_url(state->mailbox_url);
  if (!mailbox) return field_error("state file mailboxUrl", mailbox.error().message());
  auto api = connect(origin_of(*mailbox), &state->secret);
  if (!api) return api.error();
  return Loaded{std::move(*state), std::move(*mailbox), std::move(*api)};
}

}  // namespace tigress::client
