// How the suite reaches a relay that sits behind a gateway: extra headers on every request (their
// values are secrets), a client certificate for mutual TLS, a fixed address for the relay's name,
// one request rate shared by all jobs, and waiting out 429/503 answers that carry Retry-After.
// Every copy of the options shares the same rate limiter, so all the WireClients of a run do.
// Flags: connection_flags.hpp.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/rate_limiter.hpp"
#include "harness/redaction.hpp"

namespace tigress::harness {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct RetryAfterPolicy {
  bool enabled = false;                     // --honour-retry-after, or implied by --rate
  int max_retries = 3;                      // per request
  std::chrono::seconds max_total_wait{60};  // per request; a longer Retry-After is not waited for
};

struct ConnectionOptions {
  HeaderList extra_headers;                                  // added to every request that does not set the name itself
  std::string client_cert_file;                              // mutual TLS: PEM certificate (chain)
  std::string client_key_file;                               // and its unencrypted PEM private key
  std::vector<std::pair<std::string, std::string>> resolve;  // host name -> IP address to connect to
  std::shared_ptr<RateLimiter> rate;                         // null: no limit
  RetryAfterPolicy retry_after;

  // Where connect_tcp goes for `host`: its --resolve address, or the host itself. TLS server name
  // and certificate verification always use the host.
  const std::string& connect_host(const std::string& host) const;
  // The extra header values, labelled "header NAME", for every report and log of the run.
  void register_secrets(Redactor& redactor) const;
};

}  // namespace tigress::harness
