// HTTPS/1.1 server: Boost.Beast's HTTP parser (Debian libboost-dev) over OpenSSL. It hands each
// request to a handler as the transport-free Request of http_types.hpp, every header value
// exactly as its octets arrived (Beast does no percent-decoding; only the optional whitespace
// around a value and an obsolete line fold go, as RFC 9112 section 5 allows). Requests it cannot
// pass on whole (oversized body, target or head; a head that does not parse) go to a refusal
// handler instead, with the fields it could still read, so those answers are worded like every
// other one. Answers are written in one piece by this file, not by Beast's serializer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <functional>
#include <memory>
#include <string>

#include "common/result.hpp"
#include "reference/relay/http_types.hpp"
#include "reference/tls/tls_material.hpp"

namespace tigress::relay {

struct HttpsServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port
  // Threads serving connections, one connection each at a time (more wait for a free one): a
  // request costs no hand-off between threads, and a handler may block (a remote store, a
  // deliberate pause) without holding up other connections.
  std::size_t threads = 64;
  std::size_t keep_alive_max_requests = 100000;
  std::time_t io_timeout_seconds = 5;      // handshake, read, write and keep-alive idle
  std::size_t max_body_bytes = 64 * 1024;  // larger: refused as kBodyTooLarge before reading it
  // A refused body announced by Content-Length up to this size is read past after the answer,
  // and the connection stays open; a larger one closes it.
  std::uint64_t max_discarded_body_bytes = 1024 * 1024;
  std::size_t max_target_bytes = 8192;     // larger: kTargetTooLong
  std::size_t max_head_bytes = 64 * 1024;  // request line and fields; larger: kHeadersTooLarge
  std::size_t max_header_fields = 100;     // more: kHeadersTooLarge
  std::string client_ca_file;              // mutual TLS when set
  bool allow_tls10 = false;                // a planted defect: TLS 1.0 and 1.1 accepted
};

using RequestHandler = std::function<Response(const Request&)>;
using RefusalHandler = std::function<Response(HttpRefusal, const Request& seen)>;

class HttpsServer {
 public:
  // Binds and listens; connections wait in the backlog until serve(). The handlers run on the
  // server's threads, concurrently, and must outlive the server.
  static Result<std::unique_ptr<HttpsServer>> listen(const tls::TlsMaterial& tls, HttpsServerOptions options,
                                                     RequestHandler handle, RefusalHandler refuse);
  ~HttpsServer();
  HttpsServer(const HttpsServer&) = delete;
  HttpsServer& operator=(const HttpsServer&) = delete;

  void serve();  // starts the threads; once only
  int port() const;
  // Idempotent: stops accepting, lets running handlers return and their answers go out, closes
  // the connections and joins the threads.
  void stop();

 private:
  struct Impl;
  explicit HttpsServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tigress::relay
