// The pieces of one exchange that the one-shot WireClient and the keep-alive WireSession share:
// opening the (TLS) stream under the deadline, writing a request while reading its answer, and
// waiting out Retry-After answers. Internal to the harness.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "harness/http_parser.hpp"
#include "harness/transport.hpp"
#include "harness/wire_client.hpp"

namespace tigress::harness::detail {

// TCP to the --resolve address (or the URL's host), then TLS with `tls` unless it is null
// (cleartext probes). The client certificate of `connection` is offered on the handshake;
// `resume_session` offers the last session with the target (see TlsConfig).
Result<std::unique_ptr<Stream>> open_stream(const Target& target, const TlsOptions* tls,
                                            const ConnectionOptions& connection, const Deadline& deadline,
                                            bool resume_session = false);

// Writes `bytes` and reads the answer into `parser` at the same time (a target may answer
// early and stop reading). `request_written` tells whether every byte went out before the
// answer was complete.
Result<HttpResponse> exchange(Stream& stream, const std::string& bytes, ResponseParser& parser,
                              const Deadline& deadline, bool& request_written);

// Runs `attempt` and, while policy allows, waits out a 429/503 Retry-After and runs it again
// (the waits are printed to stderr and kept in HttpResponse::retried).
Result<HttpResponse> deliver_with_retry_after(const RetryAfterPolicy& policy,
                                              const std::function<Result<HttpResponse>()>& attempt);

}  // namespace tigress::harness::detail
