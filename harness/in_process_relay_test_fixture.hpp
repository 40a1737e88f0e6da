// The reference relay served over HTTPS in this process (its own clock and memory store, four
// worker threads), its self-signed CA written to a file: for the tests that drive a relay they
// may configure (defects, readings) without a child process. Header-only, for tests that link
// the relay.
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "common/result.hpp"
#include "reference/relay/clock.hpp"
#include "reference/relay/memory_store.hpp"
#include "reference/relay/server.hpp"
#include "reference/tls/tls_material.hpp"

namespace tigress::harness::test_support {

class InProcessRelay {
 public:
  // Serves `config` on 127.0.0.1 (a free port) and writes its CA's PEM to `ca_path`.
  Status start(relay::RelayConfig config, const std::filesystem::path& ca_path) {
    auto tls = tls::generate_self_signed({"localhost"}, {"127.0.0.1"}, 1);
    if (!tls) return tls.error();
    std::ofstream(ca_path) << tls->cert_pem;
    ca_ = ca_path;
    relay::ServerOptions options;
    options.worker_threads = 4;
    auto server = relay::RelayServer::start(relay::Relay(std::move(config)), clock_, store_, *tls, options);
    if (!server) return server.error();
    server_ = std::move(*server);
    return {};
  }
  ~InProcessRelay() { stop(); }

  void stop() {
    if (server_) server_->stop();
  }
  bool running() const { return server_ != nullptr; }
  std::string url() const { return server_->url(); }
  const std::filesystem::path& ca() const { return ca_; }

 private:
  relay::SystemClock clock_;
  relay::MemoryStore store_;
  std::unique_ptr<relay::RelayServer> server_;
  std::filesystem::path ca_;
};

}  // namespace tigress::harness::test_support
