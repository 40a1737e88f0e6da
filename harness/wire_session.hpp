// A keep-alive connection to the target for clients that send many requests in a row (the
// network fuzzer): one TLS handshake for many exchanges instead of one per request. Every
// exchange keeps the WireClient's guarantees: the bytes are exactly those of
// WireClient::wire_bytes (with "Connection: keep-alive" instead of "close"), a deadline on the
// whole exchange (a connect and handshake included when one is needed), bounded response sizes,
// the --rate slot and Retry-After handling of the connection options.
//
// The connection is given up, and the next request opens a new one, whenever reusing it could
// mix up two exchanges: an error or timeout, an answer that says "Connection: close", a body
// cut at the limit, bytes after the answer, an answer that came before the whole request was
// written, a protocol switch (101), an answer of a kind servers send when they cannot parse or
// frame the request and may not have read all of it (400, 408, 413, 414, 431, any 5xx) unless
// it is framed by a Content-Length and says nothing of closing, a method outside RFC 9110's
// GET HEAD POST PUT DELETE OPTIONS PATCH (servers refuse unknown ones at the request line), a request with a body whose
// method does not clearly carry one (anything but POST, PUT and PATCH, or a multipart one: the server may leave the
// body or its rest unread and parse it as the next request), and a connection idle for kMaxIdle (a server may be
// closing it just then, which would look like a request left unanswered). With a FramingCalibration, a request that is
// not unambiguously framed keeps the connection when the target was found to frame its class like any other request
// (harness/framing_calibration.hpp). One session is one connection: it is not for use from several threads at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "harness/wire_client.hpp"

namespace tigress::harness {

namespace detail {
class Stream;
}
class FramingCalibration;

class WireSession {
 public:
  static constexpr std::chrono::milliseconds kMaxIdle{1000};

  // `calibration` (may be null: every request that is not unambiguously framed ends the
  // connection) must be for the same target and outlive the session.
  explicit WireSession(const WireClient& client, FramingCalibration* calibration = nullptr);
  ~WireSession();
  WireSession(const WireSession&) = delete;
  WireSession& operator=(const WireSession&) = delete;

  Result<HttpResponse> send(const HttpRequest& request);

  // Connections opened so far (a TLS handshake each).
  std::uint64_t connections_opened() const { return connections_opened_; }
  // Of those, the ones whose TLS handshake resumed an earlier session.
  std::uint64_t sessions_resumed() const { return sessions_resumed_; }

 private:
  Result<HttpResponse> attempt(const std::string& bytes, bool head_request);

  const WireClient& client_;
  FramingCalibration* calibration_;
  std::unique_ptr<detail::Stream> stream_;
  std::chrono::steady_clock::time_point last_used_;
  std::uint64_t connections_opened_ = 0;
  std::uint64_t sessions_resumed_ = 0;
};

// Whether a connection may carry the next request after this answer (see WireSession).
bool keeps_connection(const HttpResponse& response, bool request_written, std::size_t unconsumed_bytes);
// Whether every server frames this request the same way (see WireSession).
bool unambiguously_framed(const HttpRequest& request);

}  // namespace tigress::harness
