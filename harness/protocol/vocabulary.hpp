// The protocol's vocabulary (draft-vinokurov-tigress-http-00 section 6): the six endpoints, their
// methods and path templates, what a request addresses, and the requests themselves. The
// conformance cases, the model, the fuzzers and the adversarial relay all speak it from here.
// The reference relay's router does not: the suite judges that router, so it must not share the
// suite's reading of the paths.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "harness/wire_client.hpp"

namespace tigress::protocol {

// kUnknown: a request that addresses none of the six (another path, another method).
enum class Endpoint { kCreate, kRead, kUpdate, kDelete, kRelinquish, kPreview, kUnknown };
inline constexpr std::array<Endpoint, 6> kEndpoints = {Endpoint::kCreate, Endpoint::kRead,       Endpoint::kUpdate,
                                                       Endpoint::kDelete, Endpoint::kRelinquish, Endpoint::kPreview};

std::string_view endpoint_name(Endpoint endpoint);   // "Create", "Read", ..., "unknown"
std::string_view operation_name(Endpoint endpoint);  // the draft's: "CreateMailbox", ..., "unknown"
// 6.1-6.6: POST, POST, PUT, DELETE, PATCH, GET; empty for kUnknown.
std::string_view method_of(Endpoint endpoint);
// The methods the draft uses, plus HEAD, which HTTP serves wherever GET is served (RFC 9110 9.3.2).
bool is_draft_method(std::string_view method);

inline constexpr std::string_view kCollectionPath = "/v1/m";  // 6.1; mailboxes below it
std::string collection_path(std::string_view base_path = {});
std::string mailbox_path(std::string_view base_path, std::string_view mailbox_id);

enum class Resource { kCollection, kMailbox, kOther };
struct Classification {
  Resource resource = Resource::kOther;
  Endpoint endpoint = Endpoint::kUnknown;
  std::string mailbox;  // kMailbox: the path segment after "/v1/m/", as sent
};

// What `method` on `target` (origin-form after the base path; any query or fragment is ignored)
// addresses.
// Methods are case-sensitive (RFC 9110 9.1): "post" is no endpoint; HEAD is not one of the six.
Classification classify(std::string_view method, std::string_view target);

// What a client meant by `method` on `target`: as classify, but any target below the collection
// ("/v1/m/", "/v1/m/ID/extra", "/v1/m/ID%23leaked-fragment/...") counts as the endpoint of its
// method, the mailbox being the first segment. For judging clients (the adversarial relay),
// whose malformed targets are findings of the cases, not requests to ignore.
Classification classify_attempt(std::string_view method, std::string_view target);

// The target as a front end that resolves percent-escapes and dot segments (RFC 3986 2.1, 5.2.4)
// would pass it on; the query is kept as it is.
std::string normalise_target(std::string_view target);

// The request target of the mailbox a urlLink names (AMB-20): path and query, fragment dropped;
// "/" when the link has no path.
std::string link_target(std::string_view url_link);
// The last path segment of a request target or urlLink: the mailbox ID.
std::string mailbox_id_of(std::string_view target_or_link);

// A request to one endpoint. Headers in this order: claim, request ID, content type.
struct RequestFields {
  std::optional<std::string> claim;       // Mailbox-Device-Claim; nullopt: not sent
  std::optional<std::string> request_id;  // Mailbox-Request-ID; nullopt or empty: not sent
  std::string body;                       // sent as application/json when not empty
};
// `target`: the collection path for Create, the mailbox's request target for the others (with
// any query, e.g. a Preview of the share URL's "?v=c").
harness::HttpRequest build_request(Endpoint endpoint, std::string target, RequestFields fields);

// An HTTP server in front of the mailbox API may answer this request itself, without the API's
// headers: a method outside the draft's, a header field over 8 KiB, a multipart body (which
// frameworks parse before the handler runs).
bool front_end_may_answer(const harness::HttpRequest& request);
// Statuses front ends give for their own size limits (RFC 9110 15.5.14, 15.5.15; RFC 6585 5).
bool is_front_end_limit(int status);

}  // namespace tigress::protocol
