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

#include "reference/result.hpp"

namespace tigress::harness {

struct Target {
  std::string host;      // as in the URL; IPv6 without brackets
  int port = 443;
  std::string base_path; // path prefix before "/v1", normally empty; no trailing slash
  std::string url() const;  // "https://host:port" + base_path
};

// Accepts "https://host[:port][/prefix]"; anything else (other schemes, userinfo, query,
// fragment) is an error.
Result<Target> parse_target(std::string_view url);

struct TlsOptions {
  std::string ca_file;     // verify the target against this PEM bundle
  bool insecure = false;   // no verification at all (explicit opt-in)
  // For probes only: force the protocol range (e.g. TLS1_1_VERSION).
  int min_version = 0;
  int max_version = 0;
};

struct ClientLimits {
  std::chrono::milliseconds timeout{10000};  // whole exchange: connect, handshake, send, receive
  std::size_t max_header_bytes = 64 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";  // origin-form, path + optional query
  HeaderList headers;        // sent in this order, verbatim (Host is added unless present)
  std::string body;
  std::string version = "HTTP/1.1";
  bool add_content_length = true;  // for a non-empty body, or always for POST/PUT/PATCH
                                   // (not when the case set Content-Length or Transfer-Encoding)
};

// The final response: interim 1xx responses (100, 103) are skipped, 101 is returned.
struct HttpResponse {
  int status = 0;
  std::string reason;
  HeaderList headers;
  std::string body;
  bool body_truncated = false;  // the target sent more than max_body_bytes
  double elapsed_ms = 0;

  // First value of a header (case-insensitive name), or nullopt.
  std::optional<std::string> header(std::string_view name) const;
  std::size_t header_count(std::string_view name) const;
};

// One request/response; Connection: close is added so the target ends the exchange.
class WireClient {
 public:
  WireClient(Target target, TlsOptions tls, ClientLimits limits);

  Result<HttpResponse> send(const HttpRequest& request) const;
  // Sends bytes exactly as given over TLS and parses whatever comes back.
  Result<HttpResponse> send_raw(const std::string& bytes) const;
  // Sends bytes over plain TCP to the same port: no TLS at all. Returns the response if the
  // target answered in HTTP, an error if it closed, reset or stayed silent.
  Result<HttpResponse> send_cleartext(const std::string& bytes) const;
  // Only a handshake with the given protocol range; ok when it completed. The certificate is
  // not verified here: the probe asks which versions the target accepts, and an untrusted
  // certificate must not turn "accepted" into "refused". No application data is sent.
  Status handshake(int min_version, int max_version) const;

  const Target& target() const { return target_; }
  const ClientLimits& limits() const { return limits_; }

 private:
  Target target_;
  TlsOptions tls_;
  ClientLimits limits_;
};

// The request as bytes on the wire (exposed for the wire log and tests).
std::string serialize_request(const HttpRequest& request, const Target& target);

}  // namespace tigress::harness
