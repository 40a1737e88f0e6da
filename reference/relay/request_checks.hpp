// The header checks every mailbox operation shares: the device claim (5.2), the request ID
// (5.1) and the duplicate detection built on it.
#pragma once

#include <optional>
#include <string>

#include "reference/codec/timestamp.hpp"
#include "reference/relay/defects.hpp"
#include "reference/relay/http_types.hpp"
#include "reference/relay/store.hpp"

namespace tigress::relay::checks {

// Where a missing claim lands: 400 on Create/Update, 401 on Read/Delete/Relinquish (AMB-01).
enum class MissingClaim { kBadRequest, kUnauthorized };

struct ClaimCheck {
  std::string claim;  // canonical lowercase UUID
  std::optional<Response> failure;
};

// Section 5.2: the claim is a UUID (4.1). A value that is not one can never be bound, so it is
// refused as unauthorised (MBX-CLM-05 strict: 401); claims compare as UUIDs, not as strings.
// The claims-compared-as-strings defect (`as_sent`) keeps the value as sent instead.
ClaimCheck device_claim(const Request& request, MissingClaim missing, bool as_sent = false);

struct RequestIdCheck {
  std::string id;
  std::optional<Response> failure;
};

// Listed as required on Create, Update, Delete and Relinquish (6.1.2, 6.2.2, 6.3.2, 6.6.2);
// the reference refuses its absence (AMB-02 allows 400 or processing).
RequestIdCheck request_id(const Request& request);

// A recorded operation's claim and request ID, or the response that ends the call early.
struct RecordedCall {
  std::string claim;
  std::string request_id;
  std::optional<Response> answered;  // a refusal, or the repeated answer to a duplicate
};

// The prologue of Create, Update and Relinquish: claim, request ID, then the duplicate check
// against `mailbox_id` ("" on Create).
RecordedCall recorded_call(Transaction& tx, const Request& request, MissingClaim missing, const std::string& mailbox_id,
                           const RelayDefects& defects);

// Section 5.1: a request whose claim's last successfully processed Request-ID equals this one
// is a duplicate: 201, nothing executed, the original body repeated (AMB-03). Matching also
// the method and mailbox keeps a reused ID on another operation from being swallowed (AMB-41).
std::optional<Response> duplicate_of(Transaction& tx, const std::string& claim, const std::string& id,
                                     const Request& request, const std::string& mailbox_id,
                                     const RelayDefects& defects);

void remember(Transaction& tx, const std::string& claim, const std::string& id, const Request& request,
              const std::string& mailbox_id, const std::string& body, codec::UnixSeconds forget_after);

}  // namespace tigress::relay::checks
