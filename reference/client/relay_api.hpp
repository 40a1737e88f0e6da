// The reference client's view of a TIGRESS relay (draft-vinokurov-tigress-http-00 section 6):
// one typed call per endpoint, over HTTPS with certificate verification on unless the caller
// opts out explicitly. Request-ID handling follows section 5.1: a fresh UUIDv4 per call, the
// echo checked on every response, and one retry with the same ID and claim when the response
// is lost. Nothing here prints; progress goes to an optional callback and never carries a
// secret (the client never even holds one in this layer: payloads arrive sealed).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "reference/client/defects.hpp"
#include "reference/codec/bodies.hpp"
#include "reference/codec/share_url.hpp"
#include "reference/codec/uuid.hpp"
#include "common/result.hpp"

namespace tigress::client {

// Where the relay lives: "https://host[:port]" (a trailing '/' is tolerated). The draft puts
// the API at https://{host}/v1 (section 4.2, 7.3), so a base path is refused rather than
// silently dropped.
struct RelayOrigin {
  std::string host;  // DNS name, dotted IPv4, or "[v6]" as in a URL
  std::uint16_t port = 443;

  std::string to_string() const;  // "https://host[:port]"
};
Result<RelayOrigin> parse_relay_origin(std::string_view text);
RelayOrigin origin_of(const codec::ShareUrl& mailbox);

struct ApiOptions {
  std::string ca_file;                        // PEM trust anchors; empty: the system store
  bool insecure = false;                      // skip certificate verification (never the default)
  std::chrono::milliseconds timeout{10'000};  // connect, read and write, each
  std::size_t max_response_bytes = 1 << 20;   // bigger answers are refused unread
  // Progress lines for a human (retries, duplicate acknowledgements). No secrets pass here.
  std::function<void(std::string_view)> progress;
  // Deliberate defects (defects.hpp); all off unless tigress-client --defect. The two strings
  // are only ever set by the sends-secret and keeps-fragment defects.
  ClientDefects defects;
  std::string leaked_secret;       // sends-secret: base64url secret sent in an extra header
  std::string target_suffix;       // keeps-fragment: "%23<fragment>" after every mailbox target
  std::string leaked_body_member;  // secret-in-body: percent-encoded key octets in the Create body
};

// What a successful call saw. `duplicate` is true when the relay answered 201 to our retry:
// the first attempt was processed and its response lost (section 5.1).
template <class Body>
struct Reply {
  int status = 0;
  Body body;
  bool duplicate = false;
  std::string request_id;  // empty for Preview, which carries no Tigress headers
  int attempts = 1;
};

struct NoBody {};

class RelayApi {
 public:
  // Fails when the TLS client cannot be set up (e.g. unreadable --ca file).
  static Result<std::unique_ptr<RelayApi>> connect(const RelayOrigin& origin, ApiOptions options);
  ~RelayApi();
  RelayApi(const RelayApi&) = delete;
  RelayApi& operator=(const RelayApi&) = delete;

  const RelayOrigin& origin() const { return origin_; }

  // POST /v1/m (6.1). A 201 to a retried call is accepted with the urlLink it repeats (AMB-03);
  // a 201 without one is an error: the mailbox exists but its address is lost.
  Result<Reply<codec::CreateMailboxResponse>> create(const codec::CreateMailboxRequest& body, const codec::Uuid& claim);
  // PUT /v1/m/{id} (6.2).
  Result<Reply<codec::UpdateMailboxResponse>> update(const codec::ShareUrl& mailbox, const codec::Uuid& claim,
                                                     const codec::UpdateMailboxRequest& body);
  // DELETE /v1/m/{id} (6.3). After a lost response, 404 to the retry means our first attempt
  // deleted it (AMB-04) and counts as success, flagged as duplicate.
  Result<Reply<NoBody>> remove(const codec::ShareUrl& mailbox, const codec::Uuid& claim);
  // POST /v1/m/{id} with an empty body (6.5). The first non-initiator claim binds (4.1).
  Result<Reply<codec::ReadSecureContentResponse>> read(const codec::ShareUrl& mailbox, const codec::Uuid& claim);
  // PATCH /v1/m/{id} (6.6).
  Result<Reply<NoBody>> relinquish(const codec::ShareUrl& mailbox, const codec::Uuid& claim);
  // GET /v1/m/{id}[?v=x] (6.4): the HTML preview, no Tigress headers, never binds.
  Result<Reply<std::string>> preview(const codec::ShareUrl& mailbox);

 private:
  struct Impl;
  RelayApi(RelayOrigin origin, std::unique_ptr<Impl> impl);
  RelayOrigin origin_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tigress::client
