// Steps and checks several client cases share: a complete two-device exchange, the requests of
// one endpoint, the secret search over everything the relay saw, and "the client must refuse
// this response" with a given misbehaviour armed.
#pragma once

#include <string>
#include <vector>

#include "conformance/client_cases/client_context.hpp"
#include "reference/codec/headers.hpp"

namespace tigress::conformance::client_suite {

// The device-claim header name as the evidence lookups take it.
inline const std::string kClaim(codec::kDeviceClaimHeader);

using harness::adversary::Operation;
using harness::adversary::RecordedExchange;

std::vector<RecordedExchange> requests_of(const std::vector<RecordedExchange>& all, Operation operation);

// Requests that carried a header, with its values (absent headers are skipped).
std::vector<std::string> header_values(const std::vector<RecordedExchange>& all, const std::string& name);

// A violation for every request (line, headers, body) that carries the secret in any spelling.
// Returns the number of requests searched.
std::size_t check_secret_never_sent(ClientCaseContext& ctx, const Bytes& secret,
                                    const std::vector<RecordedExchange>& all);

// The mailbox path ("/v1/m/<id>") of a share URL, empty when it has none.
std::string mailbox_path_of(const std::string& share_url);

struct CompleteExchange {
  Share share;
  std::string recipient_state;
};

// share -> receive -> recipient send -> initiator read: every step must succeed (SKIP on 89,
// ERROR otherwise); each output is checked against what the other side sent.
CompleteExchange complete_exchange(ClientCaseContext& ctx, const ShareOptions& options = {});

// Shares, arms `misbehaviour` and has the recipient receive: the client must refuse. ERROR when
// the client never made the request the misbehaviour acts on.
void expect_receive_refused(ClientCaseContext& ctx, const std::string& misbehaviour, const std::string& what);

// True when some recorded exchange had `misbehaviour` applied.
bool misbehaviour_applied(const std::vector<RecordedExchange>& all, const std::string& misbehaviour);

}  // namespace tigress::conformance::client_suite
