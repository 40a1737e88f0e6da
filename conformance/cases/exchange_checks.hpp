// Helpers for the case files of sections 4.2, 5.1, 5.2, 6.1, 6.2 and 6.3: reading a mailbox back
// and judging what came back, with the outcomes the digest accepts written once. Builds on
// relay_checks.hpp (shared with the other sections' files).
#pragma once

#include <initializer_list>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "conformance/cases/relay_checks.hpp"
#include "conformance/framework/case_context.hpp"
#include "reference/codec/json_in_place.hpp"

namespace tigress::conformance::exchange {

// An operation refused for a missing access right: 401 [S], 403 or 405 [L] (AMB-10).
inline std::vector<int> right_missing(CaseContext& ctx) { return ctx.accepted_statuses("AMB-10"); }
// A missing or malformed Mailbox-Device-Claim: 400 or 401 [S per endpoint], 403 [L] (AMB-01).
inline std::vector<int> no_claim(CaseContext& ctx) { return ctx.accepted_statuses("AMB-01"); }

inline bool is_canonical_uuid(const std::string& text) {
  static const std::regex kUuid("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
  return text.size() == 36 && std::regex_match(text, kUuid);
}

// READ(box, claim) must answer 200; returns its JSON body (discarded when it did not).
inline nlohmann::json read_body(CaseContext& ctx, const MailboxRef& box, const std::string& claim,
                                const std::string& what) {
  auto response = ctx.read(box, claim);
  if (!ctx.check_status(response, {200}, what)) return nlohmann::json(nlohmann::json::value_t::discarded);
  auto body = ctx.json_body(response, what);
  ctx.check(body.is_discarded() || body.is_object(), what + ": body is not a JSON object");
  return body;
}

// The payload member of a Read body equals `expected`: the object [S] or a string holding its
// JSON [L] (AMB-18). Returns whether it did.
inline bool payload_is(CaseContext& ctx, const nlohmann::json& body, const nlohmann::json& expected,
                       const std::string& what) {
  if (!body.is_object()) return false;  // already reported by read_body
  bool as_string = false;
  const bool same = body.contains("payload") && checks::same_json(body["payload"], expected, &as_string);
  ctx.check(same, what + ": payload is not the one expected");
  if (as_string) ctx.note(what + ": payload returned as a JSON string (AMB-18 lenient)");
  return same;
}

// READ(box, claim) → 200 with payload `expected`.
inline bool reads_payload(CaseContext& ctx, const MailboxRef& box, const std::string& claim,
                          const nlohmann::json& expected, const std::string& what) {
  return payload_is(ctx, read_body(ctx, box, claim, what), expected, what);
}

// The displayInformation member of a Read body, as an object whatever form it came in (AMB-19);
// empty when absent or unusable. Read in place: `body` must outlive it.
inline codec::json_in_place::ObjectMember display_of(const nlohmann::json& body) {
  return codec::json_in_place::ObjectMember(body, "displayInformation");
}
inline codec::json_in_place::ObjectMember display_of(const nlohmann::json&& body) = delete;  // would dangle

// Every Mailbox-Request-ID the response carries equals `sent`; `required` makes a missing echo
// a violation, otherwise it is only noted as the AMB-05 lenient reading (echo on 2xx only).
inline void check_echo(CaseContext& ctx, const harness::HttpResponse& response, const std::string& sent, bool required,
                       const std::string& what) {
  const std::size_t count = response.header_count("Mailbox-Request-ID");
  if (count == 0) {
    if (required) {
      ctx.check(false, what + " (" + std::to_string(response.status) + "): no Mailbox-Request-ID echo");
    } else {
      ctx.note(what + " (" + std::to_string(response.status) +
               "): no Mailbox-Request-ID echo on an error (AMB-05 lenient: echo on 2xx only)");
    }
    return;
  }
  ctx.check(count == 1, what + ": Mailbox-Request-ID appears " + std::to_string(count) + " times");
  const std::string echoed = response.header("Mailbox-Request-ID").value_or("");
  ctx.check(echoed == sent, what + ": Mailbox-Request-ID echo \"" + echoed + "\" differs from the value sent");
}

// A CreateMailbox request with hand-picked headers (lower-case names, other media types, an
// attestation, ...) and a raw body.
inline harness::HttpResponse create_raw(CaseContext& ctx, harness::HeaderList headers, std::string body) {
  return ctx.send(checks::request("POST", ctx.collection_path(), std::move(headers), std::move(body)));
}

}  // namespace tigress::conformance::exchange
