// The response rewrites behind the misbehaviours that change what the relay says (rather than
// when or whether it says it): payload tampering, a false algorithm, broken JSON, a wrong media
// type, a false echo, padding, a redirect, a urlLink on another origin. Each returns false when
// the response offers nothing to rewrite (e.g. an error without payload, a request without a
// Request-ID to falsify), so the exchange stays authentic and the misbehaviour stays armed.
#pragma once

#include <cstddef>
#include <string>

#include "harness/adversary/misbehaviours.hpp"
#include "reference/relay/http_types.hpp"

namespace tigress::harness::adversary {

// Where a redirect or a moved urlLink points: the relay's own origin under another name.
inline constexpr std::string_view kRedirectedPrefix = "/redirected";
inline constexpr std::string_view kOtherOriginHost = "localhost";

struct RewriteContext {
  std::size_t oversized_bytes = 0;
  std::string stale_payload_json;  // kStaleReplay: the mailbox's first payload
  std::string request_target;      // the target the client asked for
  int port = 0;                    // the relay's port (for redirects and moved urlLinks)
};

// True for the tricks rewrite_response carries out; the others are the relay loop's.
bool is_rewrite(Trick trick);

bool rewrite_response(Trick trick, relay::Response& response, const RewriteContext& context);

}  // namespace tigress::harness::adversary
