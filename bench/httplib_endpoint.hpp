// A cpp-httplib TLS server tuned as the relay's own server is (worker threads, keep-alive,
// timeouts), answering POST and PUT on every path with one handler: the benchmarks' bare
// baseline and the relay core behind cpp-httplib. Serves from construction until destruction.
#pragma once

#include <chrono>
#include <cstddef>
#include <thread>

#include <httplib.h>

#include "reference/relay/server.hpp"
#include "reference/tls/tls_material.hpp"

namespace tigress::bench {

class HttplibEndpoint {
 public:
  // `max_body_bytes` 0: cpp-httplib's own limit.
  HttplibEndpoint(const tls::TlsMaterial& material, const relay::ServerOptions& tuning,
                  httplib::Server::Handler handler, std::size_t max_body_bytes = 0)
      : server_([&material](SSL_CTX& ctx) { return tls::configure_server_context(ctx, material).ok(); }) {
    const std::size_t threads = tuning.worker_threads;
    server_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    server_.set_tcp_nodelay(true);
    server_.set_keep_alive_max_count(tuning.keep_alive_max_requests);
    server_.set_keep_alive_timeout(tuning.io_timeout_seconds);
    if (max_body_bytes > 0) server_.set_payload_max_length(max_body_bytes);
    server_.Post(".*", handler);
    server_.Put(".*", handler);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~HttplibEndpoint() {
    server_.stop();
    thread_.join();
  }
  HttplibEndpoint(const HttplibEndpoint&) = delete;
  HttplibEndpoint& operator=(const HttplibEndpoint&) = delete;

  int port() const { return port_; }

 private:
  httplib::SSLServer server_;
  int port_ = 0;
  std::thread thread_;
};

// What the bare endpoints answer to everything.
inline const char* const kConstantAnswer = R"({"isPushNotificationSupported":false})";

}  // namespace tigress::bench
