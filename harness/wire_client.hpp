// A deliberately small HTTP/1.1 client over TLS (or plain TCP for probes) that the conformance
// runner uses against relays it does not trust: every byte it sends is exactly what the case
// asked for (odd methods, versions, invalid UTF-8 included), one connection per request, a
// deadline on the whole exchange, and bounded response sizes so a hostile target can neither
// hang the suite nor exhaust its memory.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/connection_options.hpp"
#include "common/result.hpp"

namespace tigress::harness {

struct Target {
  std::string host;  // as in the URL; IPv6 without brackets
  int port = 443;
  std::string base_path;    // path prefix before "/v1", normally empty; no trailing slash
  std::string url() const;  // "https://host:port" + base_path
};

// Accepts "https://host[:port][/prefix]"; anything else (other schemes, userinfo, query,
// fragment) is an error.
Result<Target> parse_target(std::string_view url);

struct TlsOptions {
  std::string ca_file;    // verify the target against this PEM bundle
  bool insecure = false;  // no verification at all (explicit opt-in)
  // For probes only: force the protocol range (e.g. TLS1_1_VERSION).
  int min_version = 0;
  int max_version = 0;
};

struct ClientLimits {
  std::chrono::milliseconds timeout{10000};  // whole exchange: connect, handshake, send, receive
  std::size_t max_header_bytes = 64 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
};

struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";  // origin-form, path + optional query
  HeaderList headers;        // sent in this order, verbatim (Host is added unless present)
  std::string body;
  std::string version = "HTTP/1.1";
  bool add_content_length = true;  // for a non-empty body, or always for POST/PUT/PATCH
                                   // (not when the case set Content-Length or Transfer-Encoding)
};

// A 429 or 503 whose Retry-After was waited out before the request was sent again.
struct RetriedAnswer {
  int status = 0;
  std::string reason;
  HeaderList headers;
  long long waited_seconds = 0;
};

// The final response: interim 1xx responses (100, 103) are skipped, 101 is returned.
struct HttpResponse {
  int status = 0;
  std::string reason;
  HeaderList headers;
  std::string body;
  bool body_truncated = false;         // the target sent more than max_body_bytes
  double elapsed_ms = 0;               // of the final exchange
  std::vector<RetriedAnswer> retried;  // earlier answers to the same request, oldest first

  // First value of a header (case-insensitive name), or nullopt.
  std::optional<std::string> header(std::string_view name) const;
  std::size_t header_count(std::string_view name) const;
};

// One request/response; Connection: close is added so the target ends the exchange.
//
// The ConnectionOptions apply to everything it sends: every exchange (probes included) waits for
// its --rate slot and connects to the --resolve address while TLS checks the URL's host name; the
// client certificate is offered on every handshake. Extra headers go into every request built
// from an HttpRequest that does not set that name, and into raw requests only where that is
// well-defined (see wire_bytes_raw); cleartext probes never carry them, so the secret values
// never cross the network unencrypted. With retry_after.enabled, a 429 or 503 answer carrying a
// usable Retry-After is waited out and the identical bytes are sent again, at most max_retries
// times and max_total_wait in all; each wait is one line on stderr and the earlier answers are
// kept in HttpResponse::retried. Beyond those bounds the answer is returned as it is.
class WireClient {
 public:
  WireClient(Target target, TlsOptions tls, ClientLimits limits, ConnectionOptions connection = {});

  Result<HttpResponse> send(const HttpRequest& request) const;
  // Sends bytes as given (plus the extra headers, see wire_bytes_raw) over TLS and parses
  // whatever comes back.
  Result<HttpResponse> send_raw(const std::string& bytes) const;
  // Sends bytes exactly as given over plain TCP to the same port: no TLS at all. Returns the
  // response if the target answered in HTTP, an error if it closed, reset or stayed silent.
  Result<HttpResponse> send_cleartext(const std::string& bytes) const;
  // Only a handshake with the given protocol range; ok when it completed. The certificate is
  // not verified here: the probe asks which versions the target accepts, and an untrusted
  // certificate must not turn "accepted" into "refused". No application data is sent.
  Status handshake(int min_version, int max_version) const;

  // The bytes send() writes for `request`: serialize_request with the extra headers. `added`
  // go after the request's own headers, as if they were among them (the keep-alive session's
  // Connection), and before the extra headers.
  std::string wire_bytes(const HttpRequest& request, const HeaderList& added = {}) const;
  // The bytes send_raw() writes: the extra headers (those the bytes do not already carry) go
  // right after the first line when it is a complete request line "METHOD SP TARGET SP
  // HTTP/d.d CRLF" not followed by a continuation line; anything else (bare LF, HTTP/0.9,
  // garbage) is sent untouched, because inserting there would change what the bytes test.
  std::string wire_bytes_raw(const std::string& bytes) const;

  const Target& target() const { return target_; }
  const TlsOptions& tls() const { return tls_; }
  const ClientLimits& limits() const { return limits_; }
  const ConnectionOptions& connection() const { return connection_; }

 private:
  Result<HttpResponse> deliver(const std::string& bytes, bool head_request) const;

  Target target_;
  TlsOptions tls_;
  ClientLimits limits_;
  ConnectionOptions connection_;
};

// The request as bytes on the wire (exposed for the wire log and tests); `added` as if they
// followed the request's own headers.
std::string serialize_request(const HttpRequest& request, const Target& target, const HeaderList& added = {});

}  // namespace tigress::harness
