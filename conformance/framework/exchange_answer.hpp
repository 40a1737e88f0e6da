// What a finding quotes of an exchange, and the device-claim scan every answer goes through.
//
// A verdict a relay's author can act on shows what the relay said: its status, the headers that
// matter for the check (media type, caching, redirects, authentication, Allow, Retry-After, the
// protocol's own Mailbox-* headers) and the first bytes of the body, escaped. Secrets are
// redacted later, by the recorder, with everything else it reports.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "conformance/framework/case_recorder.hpp"
#include "harness/wire_client.hpp"

namespace tigress::conformance {

// The body bytes a finding quotes; the wire log keeps the rest.
inline constexpr std::size_t kAnswerBodyExcerpt = 160;

// The draft's name of the operation `request` addresses ("ReadMailbox"), else "METHOD path";
// its target still holds `base_path`.
std::string exchange_name(const harness::HttpRequest& request, std::string_view base_path);
// The answer to the exchange named `exchange`.
CaseRecorder::Answer summarize_answer(std::string exchange, const harness::HttpResponse& response);

// The device claims a case sent, so that every answer can be checked for one that belongs to
// another party than the requester (MBX-BIND-02, 8.1.1: a claim is the only credential a party
// holds; a relay that shows it to anyone else lets them act as that party). Claims are UUIDs,
// compared without regard to case.
class ClaimLedger {
 public:
  // Notes the claim `request` carries (if any) and returns it, lower-cased ("" when none).
  std::string sent(const harness::HttpRequest& request);
  // The same for a request sent as raw bytes: its head's Mailbox-Device-Claim line, if any.
  std::string sent_raw(std::string_view bytes);
  // The other parties' claims (as registered) that `response`'s headers or body carry.
  std::vector<std::string> foreign_claims_in(const harness::HttpResponse& response, const std::string& requester) const;

 private:
  std::unordered_set<std::string> claims_;  // lower case
};

}  // namespace tigress::conformance
