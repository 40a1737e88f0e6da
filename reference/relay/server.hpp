// The relay core over HTTPS (https_server.hpp, Boost.Beast): header octets reach the core as
// they arrived, and the answers the HTTP layer gives by itself (oversized body, target or head,
// malformed requests) are the core's, with the JSON error body and the request ID echo. A
// background sweeper makes expired mailboxes disappear even when no request arrives.
#pragma once

#include <cstddef>
#include <ctime>
#include <memory>
#include <string>

#include "reference/relay/relay.hpp"
#include "common/result.hpp"
#include "reference/tls/tls_material.hpp"

namespace tigress::relay {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port (see RelayServer::port)
  std::size_t worker_threads = 64;
  std::size_t keep_alive_max_requests = 100000;
  std::time_t io_timeout_seconds = 5;      // read, write and keep-alive idle: no client can pin a worker
  std::size_t max_target_bytes = 8192;     // longer request targets: 414
  std::size_t max_head_bytes = 64 * 1024;  // longer request heads: 431
  std::size_t max_header_fields = 100;     // more header fields: 431
  int sweep_interval_ms = 1000;
  // Mutual TLS (a relay behind a gateway that demands client certificates): when set, every
  // client must present a certificate that chains to this PEM bundle, or the handshake fails.
  std::string client_ca_file;
};

class RelayServer {
 public:
  // Binds and starts serving on background threads. `clock` and `store` must outlive the
  // server. An empty relay public_base_url becomes this server's url().
  static Result<std::unique_ptr<RelayServer>> start(Relay relay, Clock& clock, Store& store,
                                                    const tls::TlsMaterial& tls, ServerOptions options);
  ~RelayServer();
  RelayServer(const RelayServer&) = delete;
  RelayServer& operator=(const RelayServer&) = delete;

  int port() const;
  std::string url() const;  // "https://host:port"
  void stop();              // idempotent; joins the threads

 private:
  struct Impl;
  explicit RelayServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tigress::relay
