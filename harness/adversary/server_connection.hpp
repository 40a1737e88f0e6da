// One accepted TLS connection of the instrumented relay, at byte level: it reads HTTP/1.1
// requests (Content-Length bodies only; the client under test is ours to judge, not to indulge)
// and writes whatever bytes the relay decides, including nothing at all. Every wait is bounded
// and gives up when the relay stops, so a client that stalls cannot wedge a case.
#pragma once

#include <openssl/ssl.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tigress::harness::adversary {

struct ReceivedRequest {
  std::string method, target;
  std::vector<std::pair<std::string, std::string>> headers;  // as received, in order
  std::string body;
  std::string raw;  // every byte of the request
  bool malformed = false;
};

class ServerConnection {
 public:
  // Takes ownership of `fd`; `context` must outlive the connection.
  ServerConnection(int fd, SSL_CTX* context, const std::atomic<bool>& stop);
  ~ServerConnection();
  ServerConnection(const ServerConnection&) = delete;
  ServerConnection& operator=(const ServerConnection&) = delete;

  bool handshake();
  // The next request, or nullopt when the peer closed, the relay stops or the request is
  // beyond `max_bytes` (then the connection is unusable).
  std::optional<ReceivedRequest> read_request(std::size_t max_bytes);
  bool write(std::string_view bytes);
  // Waits for `duration` unless the relay stops or the peer hangs up first; true when the
  // whole duration passed with the peer still there.
  bool stall(std::chrono::milliseconds duration);

 private:
  bool fill(std::size_t max_bytes);  // appends one read to buffer_

  int fd_;
  SSL* ssl_ = nullptr;
  const std::atomic<bool>& stop_;
  std::string buffer_;
};

}  // namespace tigress::harness::adversary
