// Setting a transfer up and looking at it (command.hpp): share (the initiator), receive (the
// recipient) and preview (anyone holding the share URL).
#include <ctime>

#include "reference/client/command.hpp"
#include "reference/client/payload_crypto.hpp"
#include "reference/codec/base64.hpp"
#include "reference/codec/timestamp.hpp"
#include "reference/crypto/aead.hpp"

namespace tigress::client {
namespace {

constexpr long long kMaxExpiresIn = 10LL * 365 * 24 * 3600;  // the relay caps lower anyway
constexpr long long kDefaultExpiresIn = 3600;

// "AEAD_" followed by upper-case letters, digits and underscores (RFC 5116 registry style).
bool looks_like_aead_name(std::string_view name) {
  constexpr std::string_view kPrefix = "AEAD_";
  return name.size() > kPrefix.size() && name.size() <= 64 && name.substr(0, kPrefix.size()) == kPrefix &&
         name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == std::string_view::npos;
}

}  // namespace

Outcome Command::share() {
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
    if (*text == "a")
      vertical = codec::Vertical::kAccess;
    else if (*text == "h")
      vertical = codec::Vertical::kHome;
    else if (*text == "c")
      vertical = codec::Vertical::kCar;
    else
      return usage("--vertical must be a, h or c (draft 7.3.1)");
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
                                line_.value("description").value_or(""), line_.value("image-url").value_or("")};
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
  progress("created mailbox " + mailbox->mailbox_id.to_string() + " on " + (*api)->origin().to_string() + " (" +
           sealed->type + ", rights " + rights->to_string() + ", expires " + codec::format_timestamp(expiration) + ")");

  ClientState state{Role::kInitiator, mailbox->mailbox_url(), *claim, secret, key->key_algorithm, vertical};
  if (auto saved = save_state(state_path, state); !saved) {
    // Without the state nobody could ever use or close this mailbox: take it down again.
    auto removed = (*api)->remove(*mailbox, *claim);
    return failure(saved.error().message() +
                   (removed ? "; the mailbox was deleted again" : "; the mailbox is left to expire"));
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

Outcome Command::receive() {
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
  ClientState state{Role::kRecipient, mailbox.mailbox_url(), *claim, *url->secret, algorithm, url->vertical};
  if (auto saved = save_state(state_path, state); !saved) {
    return failure("the mailbox is bound to this device but " + saved.error().message());
  }
  progress("bound to mailbox " + mailbox.mailbox_id.to_string() + " as recipient; state saved to " + state_path);
  auto plaintext = open_payload(reply->body.payload, *url->secret, defects_);
  if (!plaintext) return failure(plaintext.error());
  return emit_plaintext(*plaintext);
}

// What a messaging app does with a pasted share URL (6.4): GET the OpenGraph page. The share
// URL may or may not carry the secret; either way only the address and ?v= travel (8.2.1).
Outcome Command::preview() {
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

}  // namespace tigress::client
