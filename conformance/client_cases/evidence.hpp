// What the client cases conclude from the instrumented relay's records: where the share secret
// might hide in what a client sent (every encoding a careless client could use), and what the
// payloads it uploaded really are once the suite opens them with the share URL's secret itself.
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/adversary/instrumented_relay.hpp"
#include "common/result.hpp"

namespace tigress::conformance::client_suite {

namespace adversary = harness::adversary;

struct Spelling {
  std::string label;  // "base64url unpadded", ...
  std::string text;
};

// Raw bytes, standard base64 and base64url (padded and not), hex (both cases, bare or with
// separators), the octets percent-encoded, as decimal byte lists and JSON \u escapes, and the
// percent-encoded forms of the base64 spellings (a fragment pasted into a request target).
std::vector<Spelling> secret_spellings(const Bytes& secret);
// The label of the first spelling that occurs in `haystack`, or nullopt.
std::optional<std::string> find_spelling(std::string_view haystack, const std::vector<Spelling>& spellings);

// The secret of a share URL's fragment (standard or URL-safe base64, padded or not).
Result<Bytes> secret_from_share_url(const std::string& share_url);

struct UploadedPayload {
  std::size_t exchange = 0;  // index in the relay's records
  adversary::Operation operation = adversary::Operation::kUnknown;
  bool payload_is_object = false;  // the payload as sent may be anything
  std::string type;                // payload.type when a string
  // payload.data decoded in any spelling MBX-ENC-01 accepts (standard or URL-safe alphabet,
  // padded or not: AMB-45); nullopt when it is none of them.
  std::optional<Bytes> data;
  bool data_strict = false;   // standard alphabet with padding, the catalogue's strict reading
  std::string data_spelling;  // "base64", "base64 unpadded", "base64url", "base64url unpadded"
};

// The payloads the client sent with Create and Update, in order.
std::vector<UploadedPayload> uploaded_payloads(const std::vector<adversary::RecordedExchange>& exchanges);

struct OpenedPayload {
  bool opened = false;
  std::string plaintext;
  std::string why;  // when not opened
};

// Decrypts as the draft says (7.2, AMB-46): IV = first 12 bytes, tag = last 16, empty AAD, the
// key being the secret and the algorithm the declared type. The key length must match the type.
OpenedPayload open_uploaded(const UploadedPayload& payload, const Bytes& secret);

// How a claim (its 16 UUID octets) was made from the share secret, if it was: 16 consecutive
// key octets or the start of SHA-256(key), version and variant bits aside. nullopt: unrelated.
std::optional<std::string> claim_derived_from_key(const Bytes& claim, const Bytes& secret);

// The Mailbox-Device-Claim values of the recorded requests, in order (absent: empty string).
std::vector<std::string> claims_of(const std::vector<adversary::RecordedExchange>& exchanges,
                                   std::optional<adversary::Operation> operation);  // nullopt: all

// Every notificationToken.tokenData string of a request body, at any depth, in document order.
std::vector<std::string> notification_token_data(const std::string& body);

// Every notificationToken member of a request body, at any depth, serialised.
struct NotificationTokens {
  std::set<std::string> serialised;
  bool too_deep = false;  // a token nests deeper than json_in_place::kMaxStructuredDepth: not serialised
};
NotificationTokens notification_tokens(const std::string& body);

}  // namespace tigress::conformance::client_suite
