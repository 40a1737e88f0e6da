#include "reference/relay/https_server.hpp"

#include <array>
#include <chrono>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "reference/relay/salvaged_head.hpp"

namespace tigress::relay {
// Named, not anonymous: HttpsServer::Impl holds a ServerShared.
namespace https_connection {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using ErrorCode = beast::error_code;

// A peer that went away or fell silent gets no answer: there is nobody to read it.
bool is_hang_up(const ErrorCode& ec) {
  return ec == http::error::end_of_stream || ec == http::error::partial_message || ec == net::error::eof ||
         ec == beast::error::timeout || ec == net::error::operation_aborted ||
         ec == net::ssl::error::stream_truncated || ec == net::error::connection_reset ||
         ec.category() == net::error::get_ssl_category();
}

Request to_request(const http::request<http::string_body>& in) {
  Request out;
  out.method = std::string(in.method_string());
  const std::string_view target(in.target().data(), in.target().size());
  const auto question = target.find('?');
  out.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) out.query = std::string(target.substr(question + 1));
  for (const auto& field : in) out.headers.emplace(std::string(field.name_string()), std::string(field.value()));
  out.body = in.body();
  return out;
}

Request head_only(const http::request<http::string_body>& in) {
  Request out;
  out.method = std::string(in.method_string());
  for (const auto& field : in) out.headers.emplace(std::string(field.name_string()), std::string(field.value()));
  return out;
}

// What every connection of one server reads.
struct ServerShared {
  HttpsServerOptions options;
  RequestHandler handle;
  RefusalHandler refuse;
  net::ssl::context tls{net::ssl::context::tls_server};
};

// One TLS connection: requests one after another (keep-alive), each answered before the next
// is read. All its steps run on the connection's strand.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, ServerShared& server) : stream_(std::move(socket), server.tls), server_(server) {}

  void run() {
    arm_timer();
    stream_.async_handshake(net::ssl::stream_base::server,
                            [self = shared_from_this()](ErrorCode ec) {
                              if (!ec) self->read_head();
                            });
  }

 private:
  const HttpsServerOptions& options() const { return server_.options; }
  void arm_timer() {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(options().io_timeout_seconds));
  }

  void read_head() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(options().max_head_bytes));
    parser_->body_limit(options().max_body_bytes);
    arm_timer();
    http::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](ErrorCode ec, std::size_t) {
      self->on_head(ec);
    });
  }

  void on_head(ErrorCode ec) {
    if (ec) {
      if (is_hang_up(ec)) return;
      // Beast has taken in the request line and every whole field before the one it stopped
      // at; the buffer holds the rest of the head as received.
      const auto& head = parser_->get();
      const bool line_taken = !head.method_string().empty();
      const std::string_view raw(static_cast<const char*>(buffer_.data().data()), buffer_.data().size());
      Request seen = head_only(head);
      Request rest = salvage_request_head(raw, !line_taken);
      if (!line_taken) seen.method = std::move(rest.method);
      seen.headers.merge(rest.headers);
      HttpRefusal refusal = HttpRefusal::kMalformed;
      if (ec == http::error::body_limit) refusal = HttpRefusal::kBodyTooLarge;  // a Content-Length over it
      if (ec == http::error::header_limit) {
        refusal = !line_taken && raw.substr(0, raw.find("\r\n")).size() > options().max_target_bytes
                      ? HttpRefusal::kTargetTooLong
                      : HttpRefusal::kHeadersTooLarge;
      }
      return refuse_and_close(refusal, seen);
    }
    const auto& head = parser_->get();
    if (head.target().size() > options().max_target_bytes) {
      return refuse_and_close(HttpRefusal::kTargetTooLong, head_only(head));
    }
    if (static_cast<std::size_t>(std::distance(head.begin(), head.end())) > options().max_header_fields) {
      return refuse_and_close(HttpRefusal::kHeadersTooLarge, head_only(head));
    }
    if (auto length = parser_->content_length(); length && *length > options().max_body_bytes) {
      return refuse_and_close(HttpRefusal::kBodyTooLarge, head_only(head));
    }
    // RFC 9110 section 10.1.1: a client that waits for 100 (Continue) gets it before the body.
    if (auto expect = head.find(http::field::expect);
        expect != head.end() && beast::iequals(expect->value(), "100-continue") && !parser_->is_done()) {
      continue_.emplace(http::status::continue_, head.version());
      arm_timer();
      return http::async_write(stream_, *continue_, [self = shared_from_this()](ErrorCode ec, std::size_t) {
        if (!ec) self->read_body();
      });
    }
    read_body();
  }

  void read_body() {
    arm_timer();
    http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](ErrorCode ec, std::size_t) {
      self->on_body(ec);
    });
  }

  void on_body(ErrorCode ec) {
    if (ec == http::error::body_limit) return refuse_and_close(HttpRefusal::kBodyTooLarge, head_only(parser_->get()));
    if (ec) {
      if (is_hang_up(ec)) return;
      return refuse_and_close(HttpRefusal::kMalformed, head_only(parser_->get()));
    }
    ++served_;
    const bool keep_alive = parser_->keep_alive() && served_ < options().keep_alive_max_requests;
    Response response = server_.handle(to_request(parser_->get()));
    write(std::move(response), parser_->get().version(), keep_alive);
  }

  void refuse_and_close(HttpRefusal refusal, const Request& seen) {
    const unsigned version = parser_ ? parser_->get().version() : 11;  // 11 until a request line is read
    write(server_.refuse(refusal, seen), version, false);
  }

  void write(Response in, unsigned version, bool keep_alive) {
    response_.emplace();
    response_->version(version);
    response_->result(static_cast<unsigned>(in.status));
    for (const auto& [name, value] : in.headers) response_->insert(name, value);
    response_->body() = std::move(in.body);
    response_->keep_alive(keep_alive);
    response_->prepare_payload();
    arm_timer();
    http::async_write(stream_, *response_, [self = shared_from_this(), keep_alive](ErrorCode ec, std::size_t) {
      if (ec) return;
      if (keep_alive) return self->read_head();
      self->close();
    });
  }

  // Closing with unread request bytes would reset the connection and could destroy the answer
  // in flight, so the sending side closes first and what the client still sends is drained.
  void close() {
    auto& tcp_stream = beast::get_lowest_layer(stream_);
    ErrorCode ignored;
    tcp_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    drain();
  }

  void drain() {
    auto& tcp_stream = beast::get_lowest_layer(stream_);
    tcp_stream.expires_after(std::chrono::seconds(options().io_timeout_seconds));
    tcp_stream.async_read_some(net::buffer(scratch_), [self = shared_from_this()](ErrorCode ec, std::size_t) {
      if (!ec) self->drain();
    });
  }

  beast::ssl_stream<beast::tcp_stream> stream_;
  ServerShared& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> continue_;
  std::optional<http::response<http::string_body>> response_;
  std::size_t served_ = 0;
  std::array<char, 16 * 1024> scratch_{};
};

}  // namespace https_connection

using namespace https_connection;

struct HttpsServer::Impl {
  Impl(HttpsServerOptions o, RequestHandler h, RefusalHandler r) : shared{std::move(o), std::move(h), std::move(r)} {}

  ServerShared shared;
  const HttpsServerOptions& options = shared.options;
  // Both go in stop(), so a stopped server refuses connections and holds none open.
  std::unique_ptr<net::io_context> io = std::make_unique<net::io_context>(static_cast<int>(options.threads));
  std::optional<tcp::acceptor> acceptor{std::in_place, net::make_strand(*io)};
  std::vector<std::thread> threads;
  int port = 0;
  std::mutex stop_mutex;
  bool stopped = false;

  void accept_next();
};

void HttpsServer::Impl::accept_next() {
  acceptor->async_accept(net::make_strand(*io), [this](ErrorCode ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted) return;
    if (!ec) {
      ErrorCode ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      std::make_shared<Connection>(std::move(socket), shared)->run();
    }
    accept_next();
  });
}

HttpsServer::HttpsServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<HttpsServer>> HttpsServer::listen(const tls::TlsMaterial& material, HttpsServerOptions options,
                                                        RequestHandler handle, RefusalHandler refuse) {
  if (options.threads < 1) return make_error("the HTTPS server needs at least one thread");
  auto impl = std::make_unique<Impl>(std::move(options), std::move(handle), std::move(refuse));
  SSL_CTX& context = *impl->shared.tls.native_handle();
  if (auto status = tls::configure_server_context(context, material); !status) return status.error();
  if (!impl->options.client_ca_file.empty()) {
    if (auto status = tls::require_client_certificates(context, impl->options.client_ca_file); !status) {
      return status.error();
    }
  }
  if (impl->options.allow_tls10) {
    SSL_CTX_set_security_level(&context, 0);
    SSL_CTX_set_min_proto_version(&context, TLS1_VERSION);
  }

  const std::string where = impl->options.host + ":" + std::to_string(impl->options.port);
  ErrorCode ec;
  tcp::resolver resolver(*impl->io);
  auto endpoints = resolver.resolve(impl->options.host, std::to_string(impl->options.port),
                                    tcp::resolver::numeric_service | tcp::resolver::passive, ec);
  if (ec || endpoints.empty()) return make_error("cannot resolve " + where + ": " + ec.message());
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  auto& acceptor = *impl->acceptor;
  if (acceptor.open(endpoint.protocol(), ec); ec) return make_error("cannot listen on " + where + ": " + ec.message());
  acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (acceptor.bind(endpoint, ec); ec) return make_error("cannot listen on " + where + ": " + ec.message());
  if (acceptor.listen(net::socket_base::max_listen_connections, ec); ec) {
    return make_error("cannot listen on " + where + ": " + ec.message());
  }
  impl->port = acceptor.local_endpoint().port();
  impl->accept_next();
  return std::unique_ptr<HttpsServer>(new HttpsServer(std::move(impl)));
}

void HttpsServer::serve() {
  Impl* self = impl_.get();
  for (std::size_t i = 0; i < self->options.threads; ++i) self->threads.emplace_back([self] { self->io->run(); });
}

HttpsServer::~HttpsServer() { stop(); }

int HttpsServer::port() const { return impl_->port; }

void HttpsServer::stop() {
  {
    std::lock_guard<std::mutex> lock(impl_->stop_mutex);
    if (impl_->stopped) return;
    impl_->stopped = true;
  }
  impl_->io->stop();
  for (auto& thread : impl_->threads) thread.join();
  impl_->acceptor.reset();
  impl_->io.reset();  // destroys the connections still waiting for their next step
}

}  // namespace tigress::relay
