#include "reference/client/commands.hpp"

#include <sys/stat.h>

#include <ctime>
#include <exception>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>

#include "reference/client/cli_options.hpp"
#include "reference/client/defects.hpp"
#include "reference/client/payload_crypto.hpp"
#include "reference/client/relay_api.hpp"
#include "reference/client/state_file.hpp"
#include "reference/codec/base64.hpp"
#include "reference/codec/bodies.hpp"
#include "reference/codec/provisioning.hpp"
#include "reference/codec/timestamp.hpp"
#include "reference/crypto/aead.hpp"

namespace tigress::client {
namespace {

constexpr std::size_t kMaxInputBytes = 1 << 20;
constexpr long long kMaxExpiresIn = 10LL * 365 * 24 * 3600;  // the relay caps lower anyway
constexpr long long kMaxTimeout = 3600;
constexpr long long kDefaultExpiresIn = 3600;

struct Outcome {
  int code = kExitSuccess;
  std::string message;  // the one failure line, without the "tigress-client: " prefix
};
Outcome usage(std::string message) { return {kExitUsage, std::move(message)}; }
Outcome unsupported(std::string message) { return {kExitUnsupported, std::move(message)}; }
Outcome failure(std::string message) { return {kExitFailure, std::move(message)}; }
Outcome failure(const Error& error) { return failure(error.message()); }

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

// "AEAD_" followed by upper-case letters, digits and underscores (RFC 5116 registry style).
bool looks_like_aead_name(std::string_view name) {
  constexpr std::string_view kPrefix = "AEAD_";
  return name.size() > kPrefix.size() && name.size() <= 64 && name.substr(0, kPrefix.size()) == kPrefix &&
         name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == std::string_view::npos;
}

bool path_exists(const std::string& path) {
  struct stat info{};
  return ::lstat(path.c_str(), &info) == 0;
}

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

// Section 7 / MBX-PI-01: only a well-formed Provisioning Information object is sealed or
// handed on; anything else fails cleanly (MBX-PI-03).
Result<std::string> read_provisioning_file(const std::string& path) {
  auto text = read_input(path);
  if (!text) return text.error();
  if (auto info = codec::parse_provisioning_info(*text); !info) {
    return make_error(path + " is not Provisioning Information: " + info.error().message());
  }
  return text;
}

// The API layer only needs the address; passing a copy without the secret keeps it out of
// reach of anything that might log or send the URL (section 8.2.1).
codec::ShareUrl address_only(const codec::ShareUrl& url) {
  codec::ShareUrl copy = url;
  copy.secret.reset();
  return copy;
}

class Command {
 public:
  Command(const CommandLine& line, const ClientDefects& defects, std::ostream& out,
          std::ostream& err)
      : line_(line), defects_(defects), out_(out), err_(err) {}

  Outcome run() {
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

 private:
  void progress(std::string_view text) const { err_ << line_.command << ": " << text << "\n"; }

  Result<ApiOptions> api_options() const {
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

  // `secret` is only for the sends-secret defect; `fragment` only for keeps-fragment.
  Result<std::unique_ptr<RelayApi>> connect(const RelayOrigin& origin,
                                            const codec::Secret* secret = nullptr,
                                            std::string fragment = {}) const {
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
  Result<std::optional<codec::NotificationToken>> notification_token() const {
    if (!defects_.variants.notification_token) return std::optional<codec::NotificationToken>{};
    auto token = codec::generate_uuid_v4();
    if (!token) return make_error("cannot generate a notification token");
    const std::string data = "tigress-push-" + token->to_string();
    progress("registered notification token " + data);
    return std::optional<codec::NotificationToken>(codec::NotificationToken{"tigress-test-push", data});
  }

  // ignores-refusals: a refused send, delete or relinquish reported as done.
  Outcome refused(const Error& error) const {
    if (defects_.ignores_refusals) {
      progress("relay refused (" + error.message() + "); carrying on");
      return {};
    }
    return failure(error);
  }

  Outcome emit_plaintext(const std::string& plaintext) const {
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

  struct Loaded {
    ClientState state;
    codec::ShareUrl mailbox;
    std::unique_ptr<RelayApi> api;
  };

  Result<Loaded> load_and_connect() const {
    auto state = load_state(*line_.value("state"));
    if (!state) return state.error();
    auto mailbox = codec::parse_mailbox_url(state->mailbox_url);
    if (!mailbox) return field_error("state file mailboxUrl", mailbox.error().message());
    auto api = connect(origin_of(*mailbox), &state->secret);
    if (!api) return api.error();
    return Loaded{std::move(*state), std::move(*mailbox), std::move(*api)};
  }

  Outcome share() {
    auto origin = parse_relay_origin(*line_.value("relay"));
    if (!origin) return usage(origin.error().message());
    auto algorithm = crypto::algorithm_from_name(line_.value("alg").value_or("AEAD_AES_128_GCM"));
    if (!algorithm) {
      // Another RFC 5116 registry name may be valid for some client; this one lacks it. A
      // value that is no AEAD name at all is a plain usage error.
      if (looks_like_aead_name(*line_.value("alg"))) {
        return unsupported("--alg: only AEAD_AES_128_GCM and AEAD_AES_256_GCM are implemented");
      }
      return usage("--alg must be AEAD_AES_128_GCM or AEAD_AES_256_GCM");
    }
    std::optional<codec::Vertical> vertical;
    if (auto text = line_.value("vertical")) {
      if (*text == "a") vertical = codec::Vertical::kAccess;
      else if (*text == "h") vertical = codec::Vertical::kHome;
      else if (*text == "c") vertical = codec::Vertical::kCar;
      else return usage("--vertical must be a, h or c (draft 7.3.1)");
    }
    auto rights = codec::parse_access_rights(line_.value("rights").value_or("RWD"));
    if (!rights) return usage("--rights: " + rights.error().message());
    long long expires_in = kDefaultExpiresIn;
    if (auto text = line_.value("expires-in")) {
      auto seconds = parse_positive(*text, kMaxExpiresIn);
      if (!seconds) return usage("--expires-in takes a positive number of seconds");
      expires_in = *seconds;
    }
    const std::string state_path = *line_.value("state");
    // Overwriting a state file would throw away the secret and claim of another share.
    if (path_exists(state_path)) return usage("state file " + state_path + " already exists");

    auto plaintext = read_provisioning_file(*line_.value("in"));
    if (!plaintext) return failure(plaintext.error());
    auto key = generate_share_key(*algorithm, defects_);
    if (!key) return failure(key.error());
    const codec::Secret& secret = key->secret;
    auto sealed = seal_payload(key->key_algorithm, secret, *plaintext, defects_);
    if (!sealed) return failure(sealed.error());
    // 4.1: a fresh claim for every mailbox, never the one of any other share.
    auto claim = new_device_claim(/*role_is_initiator=*/true, secret, defects_);
    if (!claim) return failure(claim.error());
    auto api = connect(*origin, &secret);
    if (!api) return failure(api.error());

    codec::CreateMailboxRequest request;
    request.payload = *sealed;
    // Display information travels unencrypted (8.2.2): only what the user chose to show.
    request.display_information =
        codec::DisplayInformation{line_.value("title").value_or("Shared credential"),
                                  line_.value("description").value_or(""),
                                  line_.value("image-url").value_or("")};
    const auto expiration = static_cast<codec::UnixSeconds>(std::time(nullptr)) + expires_in;
    request.mailbox_configuration = codec::MailboxConfiguration{*rights, expiration};
    auto token = notification_token();
    if (!token) return failure(token.error());
    request.notification_token = *token;

    auto reply = (*api)->create(request, *claim);
    if (!reply) return failure(reply.error());
    // 0.4 / AMB-20: the relay's urlLink, not a rebuilt URL, is the base of the share URL.
    auto mailbox = codec::parse_mailbox_url(reply->body.url_link);
    if (!mailbox) {
      return failure("relay returned an unusable urlLink (" + mailbox.error().message() + ")");
    }
    progress("created mailbox " + mailbox->mailbox_id.to_string() + " on " +
             (*api)->origin().to_string() + " (" + sealed->type + ", rights " +
             rights->to_string() + ", expires " + codec::format_timestamp(expiration) + ")");

    ClientState state{Role::kInitiator, mailbox->mailbox_url(), *claim, secret,
                      key->key_algorithm, vertical};
    if (auto saved = save_state(state_path, state); !saved) {
      // Without the state nobody could ever use or close this mailbox: take it down again.
      auto removed = (*api)->remove(*mailbox, *claim);
      return failure(saved.error().message() + (removed ? "; the mailbox was deleted again"
                                                        : "; the mailbox is left to expire"));
    }
    progress("state saved to " + state_path + " (initiator)");

    codec::ShareUrl share_url = *mailbox;
    if (defects_.share_url_from_relay_option) {
      // "We know where the relay is": the configured origin instead of the urlLink's.
      share_url.host = origin->host;
      share_url.port = origin->port;
    }
    share_url.vertical = vertical;
    share_url.secret = secret;
    std::string printed = share_url.to_string_with_secret();
    if (defects_.variants.secret_base64url) {
      printed = printed.substr(0, printed.find('#') + 1) + codec::base64url_encode_unpadded(secret.reveal());
    }
    out_ << printed << "\n";
    out_.flush();
    return {};
  }

  Outcome receive() {
    std::string text = *line_.value("url");
    // accepts-http: "upgrades" an http:// share URL by its scheme alone, keeping its host and
    // port, so it connects wherever the cleartext URL pointed.
    if (defects_.accepts_http && text.rfind("http://", 0) == 0) text.insert(4, "s");
    auto url = codec::parse_share_url(text);
    if (!url) return usage("--url is not a share URL: " + url.error().message());
    if (!url->secret) {
      return usage("--url has no #secret fragment; the recipient needs the secret (draft 7.3)");
    }
    // MBX-ENC-06: the secret's length names the algorithm; open() checks it against the type.
    const auto algorithm = url->secret->size() == crypto::key_size(crypto::AeadAlgorithm::kAes256Gcm)
                               ? crypto::AeadAlgorithm::kAes256Gcm
                               : crypto::AeadAlgorithm::kAes128Gcm;
    const std::string state_path = *line_.value("state");
    if (path_exists(state_path)) return usage("state file " + state_path + " already exists");

    // 4.1 MUST: the recipient's claim differs from the initiator's: a fresh UUIDv4 here.
    auto claim = new_device_claim(/*role_is_initiator=*/false, *url->secret, defects_);
    if (!claim) return failure(claim.error());
    // Section 8.2.1 MUST: the fragment is stripped; only the mailbox address is used.
    const codec::ShareUrl mailbox = address_only(*url);
    // keeps-fragment: the raw URL's "#..." percent-encoded, as a naive URL-to-path copy does.
    std::string fragment = *line_.value("url");
    fragment.replace(0, fragment.find('#') + 1, "%23");
    auto api = connect(origin_of(mailbox), &*url->secret, std::move(fragment));
    if (!api) return failure(api.error());
    auto reply = (*api)->read(mailbox, *claim);
    if (!reply) return failure(reply.error());

    // The read bound this claim (4.1); save it before anything else can fail, so the device
    // can read again or relinquish.
    ClientState state{Role::kRecipient, mailbox.mailbox_url(), *claim, *url->secret, algorithm,
                      url->vertical};
    if (auto saved = save_state(state_path, state); !saved) {
      return failure("the mailbox is bound to this device but " + saved.error().message());
    }
    progress("bound to mailbox " + mailbox.mailbox_id.to_string() +
             " as recipient; state saved to " + state_path);
    auto plaintext = open_payload(reply->body.payload, *url->secret, defects_);
    if (!plaintext) return failure(plaintext.error());
    return emit_plaintext(*plaintext);
  }

  // What a messaging app does with a pasted share URL (6.4): GET the OpenGraph page. The share
  // URL may or may not carry the secret; either way only the address and ?v= travel (8.2.1).
  Outcome preview() {
    const std::string raw = *line_.value("url");  // value() returns a copy: keep it
    auto url = codec::parse_share_url(raw);
    if (!url) return usage("--url is not a share URL: " + url.error().message());
    const codec::ShareUrl mailbox = address_only(*url);
    // keeps-fragment: as in receive, the raw "#..." percent-encoded after the target.
    std::string fragment;
    if (const auto hash = raw.find('#'); hash != std::string::npos) fragment = "%23" + raw.substr(hash + 1);
    auto api = connect(origin_of(mailbox), url->secret ? &*url->secret : nullptr, std::move(fragment));
    if (!api) return failure(api.error());
    // Bounded like every answer (ApiOptions::max_response_bytes); a non-200 status is a failure.
    auto reply = (*api)->preview(mailbox);
    if (!reply) return failure(reply.error());
    progress("fetched the preview of mailbox " + mailbox.mailbox_id.to_string() + " (" +
             std::to_string(reply->body.size()) + " bytes)");
    if (auto path = line_.value("out")) {
      // The page is public display information, but an atomic write never leaves half a page.
      if (auto status = write_private_file(*path, reply->body); !status) return failure(status.error());
      return {};
    }
    out_ << reply->body;
    out_.flush();
    return {};
  }

  Outcome send() {
    auto loaded = load_and_connect();
    if (!loaded) return failure(loaded.error());
    auto plaintext = read_provisioning_file(*line_.value("in"));
    if (!plaintext) return failure(plaintext.error());
    // 7.2 / MBX-ENC-08: the one secret of this transfer protects every message.
    auto sealed = seal_payload(loaded->state.algorithm, loaded->state.secret, *plaintext, defects_);
    if (!sealed) return failure(sealed.error());
    codec::UpdateMailboxRequest request;
    request.payload = *sealed;
    auto token = notification_token();
    if (!token) return failure(token.error());
    request.notification_token = *token;
    auto reply = loaded->api->update(loaded->mailbox, loaded->state.claim, request);
    if (!reply) return refused(reply.error());
    progress("updated mailbox " + loaded->mailbox.mailbox_id.to_string() + " as " +
             std::string(role_name(loaded->state.role)));
    return {};
  }

  Outcome read() {
    auto loaded = load_and_connect();
    if (!loaded) return failure(loaded.error());
    auto reply = loaded->api->read(loaded->mailbox, loaded->state.claim);
    if (!reply) return failure(reply.error());
    progress("read mailbox " + loaded->mailbox.mailbox_id.to_string() + " (expires " +
             codec::format_timestamp(reply->body.expiration) + ")");
    auto plaintext = open_payload(reply->body.payload, loaded->state.secret, defects_);
    if (!plaintext) return failure(plaintext.error());
    return emit_plaintext(*plaintext);
  }

  Outcome remove() {
    auto loaded = load_and_connect();
    if (!loaded) return failure(loaded.error());
    auto reply = loaded->api->remove(loaded->mailbox, loaded->state.claim);
    if (!reply) return refused(reply.error());
    progress("deleted mailbox " + loaded->mailbox.mailbox_id.to_string());
    return {};
  }

  Outcome relinquish() {
    auto loaded = load_and_connect();
    if (!loaded) return failure(loaded.error());
    auto reply = loaded->api->relinquish(loaded->mailbox, loaded->state.claim);
    if (!reply) return refused(reply.error());
    progress("relinquished mailbox " + loaded->mailbox.mailbox_id.to_string() +
             "; another device may now receive it");
    return {};
  }

  const CommandLine& line_;
  const ClientDefects& defects_;
  std::ostream& out_;
  std::ostream& err_;
};

// The failure line is one line whatever the message holds.
std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

// Consumes the global options in front of the command. 0 = go on; otherwise the exit code
// (-1: done, successfully).
int take_global_options(std::vector<std::string>& args, ClientDefects& defects, std::ostream& out,
                        std::ostream& err) {
  std::size_t used = 0;
  while (used < args.size()) {
    const std::string& arg = args[used];
    if (arg == "--list-defects") {
      out << format_defect_list();
      return -1;
    }
    if (arg == "--list-variants") {
      out << format_variant_list();
      return -1;
    }
    if (arg == "--variant") {
      if (used + 1 >= args.size()) {
        err << "tigress-client: --variant needs a NAME (see --list-variants)\n";
        return kExitUsage;
      }
      if (auto status = enable_client_variant(defects.variants, args[used + 1]); !status) {
        err << "tigress-client: " << one_line(status.error().message()) << "\n";
        return kExitUsage;
      }
      used += 2;
      continue;
    }
    std::string name;
    if (arg == "--defect") {
      if (used + 1 >= args.size()) {
        err << "tigress-client: --defect needs a NAME (see --list-defects)\n";
        return kExitUsage;
      }
      name = args[used + 1];
      used += 2;
    } else if (arg.rfind("--defect=", 0) == 0) {
      name = arg.substr(9);
      used += 1;
    } else {
      break;
    }
    if (auto status = enable_client_defect(defects, name); !status) {
      err << "tigress-client: " << one_line(status.error().message()) << "\n";
      return kExitUsage;
    }
    err << "tigress-client: WARNING: deliberate defect '" << name
        << "' is on; this client does not conform\n";
  }
  args.erase(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(used));
  return 0;
}

}  // namespace

int run_cli(const std::vector<std::string>& original_args, std::ostream& out, std::ostream& err) {
  try {
    std::vector<std::string> args = original_args;
    ClientDefects defects;
    if (const int code = take_global_options(args, defects, out, err); code != 0) {
      return code < 0 ? kExitSuccess : code;
    }
    auto line = parse_command_line(args);
    if (!line) {
      err << "tigress-client: " << one_line(line.error().message()) << "\n";
      return kExitUsage;
    }
    if (line->flag("help")) {
      out << command_usage(line->command);
      return kExitSuccess;
    }
    Outcome outcome = Command(*line, defects, out, err).run();
    if (outcome.code != kExitSuccess) err << "tigress-client: " << one_line(outcome.message) << "\n";
    return outcome.code;
  } catch (const std::exception& e) {
    err << "tigress-client: internal error: " << one_line(e.what()) << "\n";
    return kExitFailure;
  }
}

}  // namespace tigress::client
