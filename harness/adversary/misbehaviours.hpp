// The catalogue of ways the instrumented relay can misbehave towards a client under test, in the
// spirit of BoringSSL's ProtocolBugs: one data-driven table of named tricks, each bound to the
// endpoint it hits and to how many times it fires. Client cases arm tricks by name only, so a new
// adversarial behaviour is one row here plus, when it needs new mechanics, one branch in
// instrumented_relay.cpp.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "harness/protocol/vocabulary.hpp"

namespace tigress::harness::adversary {

// The endpoint a request addresses, in the protocol vocabulary's terms.
using Operation = protocol::Endpoint;
using protocol::operation_name;

enum class Trick {
  kTamperCiphertext,        // flip one bit of the ciphertext inside payload.data
  kTamperTag,               // flip one bit of the 16-byte tag
  kTamperIv,                // flip one bit of the 12-byte IV
  kTruncatePayload,         // payload.data shorter than IV + tag
  kWrongAlgorithm,          // payload.type names the other AES-GCM key size
  kMalformedJson,           // the body cut in half (no longer JSON)
  kWrongContentType,        // a correct JSON body labelled text/plain
  kDropResponse,            // processed, then the connection closes without an answer
  kMismatchedRequestId,     // Mailbox-Request-ID echo replaced by another UUID
  kMissingEcho,             // no Mailbox-Request-ID on the response
  kStaleReplay,             // a Read answers with the first payload the mailbox ever held
  kOversizedResponse,       // a valid body padded far beyond any sane client limit
  kSlowResponse,            // the answer is held back for the relay's stall time
  kForceUnauthorized,       // 401 instead of processing
  kExpireFirst,             // the relay's clock jumps past every expiration before processing (404)
  kRedirect307OtherOrigin,  // 307 to the same path on another origin (the relay's other name)
  kRedirect308OtherOrigin,  // 308 likewise
  kRedirect307SameOrigin,   // 307 to another path on the relay's own origin
  kUrlLinkOtherOrigin,      // the Create answer's urlLink names the relay by its other name
};

struct Misbehaviour {
  std::string_view name;
  Trick trick;
  std::optional<Operation> operation;  // requests it applies to (nullopt: every request)
  int times;                           // how many applicable requests it hits; 0: every one
  std::string_view description;
};

const std::vector<Misbehaviour>& misbehaviour_catalogue();
const Misbehaviour* find_misbehaviour(std::string_view name);

}  // namespace tigress::harness::adversary
