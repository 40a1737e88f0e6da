// Which requests that not every server frames the same way (see unambiguously_framed) a given
// target frames like the next one, so that a keep-alive connection may carry on after them.
//
// A request's class is its method and how its body is framed (none, Content-Length, chunked).
// The first time a class comes up, a probe on a fresh connection sends a canonical request (a
// Preview of an unknown mailbox) alone, then writes, in one go, a request of that class and the
// canonical one again, each with its own Mailbox-Request-ID, and reads two answers. The class
// may share connections only if every answer is framed so that keeps_connection() allows reuse,
// each echoes its own request's ID and the canonical request is answered the same status both
// times: a server that left the first request's header section or body unread would have taken
// those bytes for the start of the next request and answered that differently (a 400 for a
// garbled request line), even one that salvages the echo from a malformed head. Anything else
// (a close, a timeout, no echo, a front end that answers without one) keeps the rule of
// WireSession: a fresh connection after every
// request of that class. Multipart bodies, requests that set their own Content-Length or a
// transfer coding other than chunked, and methods that are not tokens are never calibrated:
// their framing depends on the body's contents, which one probe does not cover.
//
// The verdict assumes a server frames a method's body the same way whatever its size (within
// its body limit; above it the refusal's own framing decides, as for any request). One object
// per target, shared by all sessions to it; a probe holds the lock, so concurrent sessions wait
// for the verdict instead of probing twice.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/wire_client.hpp"

namespace tigress::harness {

class FramingCalibration {
 public:
  explicit FramingCalibration(const WireClient& client) : client_(client) {}
  FramingCalibration(const FramingCalibration&) = delete;
  FramingCalibration& operator=(const FramingCalibration&) = delete;

  // Whether the connection may carry the next request after `request` (not unambiguously
  // framed), as far as its framing goes; the answer's own framing is judged separately.
  bool shares_connection(const HttpRequest& request);

  // The classes probed so far and whether each shares connections, in the order of their names.
  std::vector<std::pair<std::string, bool>> verdicts() const;

 private:
  bool probe(const HttpRequest& sample);

  const WireClient& client_;
  mutable std::mutex mutex_;
  std::map<std::string, bool> verdicts_;
  int probes_ = 0;
};

// "METHOD none|length|chunked", or nothing when the request's framing is not calibrated.
std::optional<std::string> framing_class(const HttpRequest& request);

}  // namespace tigress::harness
