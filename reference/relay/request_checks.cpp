#include "reference/relay/request_checks.hpp"

#include "reference/codec/headers.hpp"
#include "reference/codec/uuid.hpp"
#include "reference/relay/relay_answers.hpp"

namespace tigress::relay::checks {

using answers::bad_request;
using answers::unauthorized;
using codec::kDeviceClaimHeader;
using codec::kRequestIdHeader;

ClaimCheck device_claim(const Request& request, MissingClaim missing, bool as_sent) {
  const std::size_t count = request.header_count(kDeviceClaimHeader);
  if (count == 0) {
    const std::string detail = "Mailbox-Device-Claim: missing required header";
    return {{}, missing == MissingClaim::kBadRequest ? bad_request(detail) : unauthorized(detail)};
  }
  if (count > 1) return {{}, bad_request("Mailbox-Device-Claim: header repeated")};
  auto parsed = codec::parse_uuid(*request.header(kDeviceClaimHeader));
  if (!parsed) return {{}, unauthorized("Mailbox-Device-Claim: must be a UUID")};
  if (as_sent) return {*request.header(kDeviceClaimHeader), std::nullopt};
  return {parsed->to_string(), std::nullopt};
}

RequestIdCheck request_id(const Request& request) {
  const std::size_t count = request.header_count(kRequestIdHeader);
  if (count == 0) return {{}, bad_request("Mailbox-Request-ID: missing required header")};
  if (count > 1) return {{}, bad_request("Mailbox-Request-ID: header repeated")};
  const std::string& value = *request.header(kRequestIdHeader);
  if (value.empty()) return {{}, bad_request("Mailbox-Request-ID: empty value")};
  return {value, std::nullopt};
}

RecordedCall recorded_call(Transaction& tx, const Request& request, MissingClaim missing, const std::string& mailbox_id,
                           const RelayDefects& defects) {
  auto claim = device_claim(request, missing, defects.claims_compared_as_strings);
  if (claim.failure) return {{}, {}, std::move(claim.failure)};
  auto rid = request_id(request);
  if (rid.failure) return {{}, {}, std::move(rid.failure)};
  auto duplicate = duplicate_of(tx, claim.claim, rid.id, request, mailbox_id, defects);
  return {std::move(claim.claim), std::move(rid.id), std::move(duplicate)};
}

std::optional<Response> duplicate_of(Transaction& tx, const std::string& claim, const std::string& id,
                                     const Request& request, const std::string& mailbox_id,
                                     const RelayDefects& defects) {
  if (defects.reexecute_duplicates) return std::nullopt;
  auto record = tx.last_request(claim);
  if (!record || record->request_id != id || record->method != request.method || record->mailbox_id != mailbox_id) {
    return std::nullopt;
  }
  Response response = answers::json_response(201, record->response_body);
  if (record->response_body.empty()) response.headers.erase("Content-Type");
  return response;
}

void remember(Transaction& tx, const std::string& claim, const std::string& id, const Request& request,
              const std::string& mailbox_id, const std::string& body, codec::UnixSeconds forget_after) {
  tx.remember_request(claim, RequestRecord{id, request.method, mailbox_id, body, forget_after});
}

}  // namespace tigress::relay::checks
