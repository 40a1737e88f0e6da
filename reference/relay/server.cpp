#include "reference/relay/server.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <httplib.h>

#include "reference/codec/bodies.hpp"

namespace tigress::relay {
namespace {

Request from_httplib(const httplib::Request& in) {
  Request out;
  out.method = in.method;
  out.path = in.path;
  if (auto q = in.target.find('?'); q != std::string::npos) out.query = in.target.substr(q + 1);
  for (const auto& [name, value] : in.headers) {
    // httplib adds these pseudo-headers for its own bookkeeping; they were not on the wire.
    if (name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
        name == "LOCAL_PORT") {
      continue;
    }
    out.headers.emplace(name, value);
  }
  out.body = in.body;
  return out;
}

void to_httplib(const Response& in, httplib::Response& out) {
  out.status = in.status;
  std::string content_type;
  for (const auto& [name, value] : in.headers) {
    if (iequals(name, "Content-Type")) {
      content_type = value;
    } else {
      out.set_header(name, value);
    }
  }
  if (!content_type.empty()) {
    out.set_content(in.body, content_type.c_str());
  } else {
    out.body = in.body;
  }
}

}  // namespace

struct RelayServer::Impl {
  Impl(Relay r, Clock& c, Store& s) : relay(std::move(r)), clock(c), store(s) {}

  Relay relay;
  Clock& clock;
  Store& store;
  std::unique_ptr<httplib::SSLServer> http;
  std::string host;
  int port = 0;
  std::string bound_url;
  std::thread listener;
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
                                                        const tls::TlsMaterial& tls,
                                                        ServerOptions options) {
  auto impl = std::make_unique<Impl>(std::move(relay), clock, store);
  Status tls_status;
  const bool allow_old_tls = impl->relay.config().defects.allow_tls10;
  impl->http = std::make_unique<httplib::SSLServer>([&](SSL_CTX& context) {
    tls_status = tls::configure_server_context(context, tls);
    if (tls_status.ok() && !options.client_ca_file.empty()) {
      tls_status = tls::require_client_certificates(context, options.client_ca_file);
    }
    if (tls_status.ok() && allow_old_tls) {  // the allow-tls10 defect
      SSL_CTX_set_security_level(&context, 0);
      SSL_CTX_set_min_proto_version(&context, TLS1_VERSION);
    }
    return tls_status.ok();
  });
  if (!tls_status) return tls_status.error();
  if (!impl->http->is_valid()) return make_error("TLS server could not be set up");

  auto& http = *impl->http;
  const std::size_t threads = options.worker_threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_tcp_nodelay(true);
  http.set_keep_alive_max_count(options.keep_alive_max_requests);
  http.set_keep_alive_timeout(options.io_timeout_seconds);
  http.set_read_timeout(options.io_timeout_seconds, 0);
  http.set_write_timeout(options.io_timeout_seconds, 0);
  // httplib refuses larger bodies itself (413) before reading them; below that the core decides.
  http.set_payload_max_length(impl->relay.config().max_body_bytes + 1);

  Impl* self = impl.get();
  auto handler = [self](const httplib::Request& in, httplib::Response& out) {
    to_httplib(self->relay.handle(from_httplib(in), self->clock, self->store), out);
  };
  for (auto route : {&httplib::Server::Get, &httplib::Server::Post, &httplib::Server::Put,
                     &httplib::Server::Delete, &httplib::Server::Patch,
                     &httplib::Server::Options}) {
    (http.*route)(".*", handler);
  }
  // Errors httplib produces itself (unknown method, oversized or malformed request) still get
  // a JSON body, like every other 4xx of the relay.
  http.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& out) {
    if (!out.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    const std::string detail = out.status == 413 ? "request body too large"
                               : out.status == 414 ? "request target too long"
                                                   : "request not understood";
    out.set_content(codec::error_body(out.status == 413 ? "payload_too_large" : "bad_request", detail),
                    "application/json");
    return httplib::Server::HandlerResponse::Handled;
  }));

  impl->host = options.host;
  if (options.port == 0) {
    impl->port = http.bind_to_any_port(options.host);
  } else {
    impl->port = http.bind_to_port(options.host, options.port) ? options.port : -1;
  }
  if (impl->port <= 0) {
    return make_error("cannot listen on " + options.host + ":" + std::to_string(options.port));
  }
  const bool v6 = options.host.find(':') != std::string::npos;
  impl->bound_url = "https://" + (v6 ? "[" + options.host + "]" : options.host) + ":" +
                    std::to_string(impl->port);
  if (impl->relay.config().public_base_url.empty()) {
    RelayConfig config = impl->relay.config();
    config.public_base_url = impl->bound_url;
    impl->relay = Relay(std::move(config));
  }
  impl->listener = std::thread([self] { self->http->listen_after_bind(); });
  const int interval = options.sweep_interval_ms;
  impl->sweeper = std::thread([self, interval] { self->sweep_until_stopped(interval); });
  while (!http.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
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
  impl_->http->stop();
  if (impl_->listener.joinable()) impl_->listener.join();
  if (impl_->sweeper.joinable()) impl_->sweeper.join();
}

}  // namespace tigress::relay
