#include "reference/relay/server.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "reference/relay/https_server.hpp"

namespace tigress::relay {

struct RelayServer::Impl {
  Impl(Relay r, Clock& c, Store& s) : relay(std::move(r)), clock(c), store(s) {}

  Relay relay;
  Clock& clock;
  Store& store;
  std::unique_ptr<HttpsServer> https;
  int port = 0;
  std::string bound_url;
  std::thread sweeper;
  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;

  void sweep_until_stopped(int interval_ms) {
    std::unique_lock<std::mutex> lock(mutex);
    while (!wake.wait_for(lock, std::chrono::milliseconds(interval_ms), [&] { return stopping; })) {
      lock.unlock();
      relay.sweep(clock, store);
      lock.lock();
    }
  }
};

RelayServer::RelayServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<RelayServer>> RelayServer::start(Relay relay, Clock& clock, Store& store,
                                                        const tls::TlsMaterial& tls, ServerOptions options) {
  auto impl = std::make_unique<Impl>(std::move(relay), clock, store);
  HttpsServerOptions https;
  https.host = options.host;
  https.port = options.port;
  https.threads = options.worker_threads;
  https.keep_alive_max_requests = options.keep_alive_max_requests;
  https.io_timeout_seconds = options.io_timeout_seconds;
  https.max_body_bytes = impl->relay.config().max_body_bytes;
  https.max_target_bytes = options.max_target_bytes;
  https.max_head_bytes = options.max_head_bytes;
  https.max_header_fields = options.max_header_fields;
  https.client_ca_file = options.client_ca_file;
  https.allow_tls10 = impl->relay.config().defects.allow_tls10;

  // The handlers read impl->relay, whose public URL is settled below, before serving begins.
  Impl* self = impl.get();
  auto server = HttpsServer::listen(
      tls, std::move(https),
      [self](const Request& request) { return self->relay.handle(request, self->clock, self->store); },
      [self](HttpRefusal refusal, const Request& seen) { return self->relay.refuse(refusal, seen); });
  if (!server) return server.error();
  impl->https = std::move(*server);
  impl->port = impl->https->port();
  const bool v6 = options.host.find(':') != std::string::npos;
  impl->bound_url = "https://" + (v6 ? "[" + options.host + "]" : options.host) + ":" + std::to_string(impl->port);
  if (impl->relay.config().public_base_url.empty()) {
    RelayConfig config = impl->relay.config();
    config.public_base_url = impl->bound_url;
    impl->relay = Relay(std::move(config));
  }
  impl->https->serve();
  const int interval = options.sweep_interval_ms;
  impl->sweeper = std::thread([self, interval] { self->sweep_until_stopped(interval); });
  return std::unique_ptr<RelayServer>(new RelayServer(std::move(impl)));
}

RelayServer::~RelayServer() { stop(); }

int RelayServer::port() const { return impl_->port; }

std::string RelayServer::url() const { return impl_->bound_url; }

void RelayServer::stop() {
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    if (impl_->stopping) return;
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  impl_->https->stop();
  if (impl_->sweeper.joinable()) impl_->sweeper.join();
}

}  // namespace tigress::relay
