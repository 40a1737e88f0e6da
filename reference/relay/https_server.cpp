#include "reference/relay/https_server.hpp"

#include <csignal>

#include <fcntl.h>
#include <pthread.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "reference/relay/salvaged_head.hpp"

namespace tigress::relay {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using ErrorCode = beast::error_code;

// Beast's synchronous stream over one TLS connection. The socket blocks with the server's I/O
// timeout (SO_RCVTIMEO/SO_SNDTIMEO), so a silent client ends in an error, not a pinned thread.
// One thread per connection, like the relay had before: a request costs no hand-off between
// threads, and a handler may block (a remote store) without holding up other connections.
class TlsStream {
 public:
  explicit TlsStream(SSL* ssl) : ssl_(ssl) {}

  template <class MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers, ErrorCode& ec) {
    const net::mutable_buffer buffer = first_nonempty<net::mutable_buffer>(buffers);
    if (buffer.size() == 0) {
      ec = {};
      return 0;
    }
    std::size_t n = 0;
    const int result = SSL_read_ex(ssl_, buffer.data(), buffer.size(), &n);
    ec = result == 1 ? ErrorCode{} : failure(result);
    return n;
  }
  template <class MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers) {
    return or_throw([&](ErrorCode& ec) { return read_some(buffers, ec); });
  }
  template <class ConstBuffers>
  std::size_t write_some(const ConstBuffers& buffers, ErrorCode& ec) {
    const net::const_buffer buffer = first_nonempty<net::const_buffer>(buffers);
    if (buffer.size() == 0) {
      ec = {};
      return 0;
    }
    return write(buffer.data(), buffer.size(), ec);
  }
  template <class ConstBuffers>
  std::size_t write_some(const ConstBuffers& buffers) {
    return or_throw([&](ErrorCode& ec) { return write_some(buffers, ec); });
  }
  std::size_t write(const void* data, std::size_t size, ErrorCode& ec) {
    std::size_t n = 0;
    const int result = SSL_write_ex(ssl_, data, size, &n);
    ec = result == 1 ? ErrorCode{} : failure(result);
    return n;
  }

 private:
  // A stream moves one buffer per call (SyncReadStream/SyncWriteStream allow a partial transfer).
  template <class Buffer, class Buffers>
  static Buffer first_nonempty(const Buffers& buffers) {
    for (auto it = net::buffer_sequence_begin(buffers); it != net::buffer_sequence_end(buffers); ++it) {
      const Buffer buffer = *it;
      if (buffer.size() != 0) return buffer;
    }
    return Buffer{};
  }
  // The throwing overloads Beast's stream concepts also require.
  template <class Transfer>
  static std::size_t or_throw(Transfer transfer) {
    ErrorCode ec;
    const std::size_t n = transfer(ec);
    if (ec) throw beast::system_error(ec);
    return n;
  }
  ErrorCode failure(int result) const {
    const int error = SSL_get_error(ssl_, result);
    ERR_clear_error();
    if (error == SSL_ERROR_ZERO_RETURN) return net::error::eof;
    if (error == SSL_ERROR_SYSCALL && (errno == EAGAIN || errno == EWOULDBLOCK)) return beast::error::timeout;
    if (error == SSL_ERROR_SYSCALL && errno == 0) return net::error::eof;  // closed without close_notify
    return net::error::connection_reset;
  }

  SSL* ssl_;
};

// A peer that went away or fell silent gets no answer: there is nobody to read it.
bool is_hang_up(const ErrorCode& ec) {
  return ec == http::error::end_of_stream || ec == http::error::partial_message || ec == net::error::eof ||
         ec == beast::error::timeout || ec == net::error::connection_reset;
}

using Parser = http::request_parser<http::string_body>;

Request head_only(const http::request<http::string_body>& in) {
  Request out;
  out.method = std::string(in.method_string());
  for (const auto& field : in) out.headers.emplace(std::string(field.name_string()), std::string(field.value()));
  return out;
}

Request to_request(http::request<http::string_body>& in) {
  Request out = head_only(in);
  const std::string_view target(in.target().data(), in.target().size());
  const auto question = target.find('?');
  out.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) out.query = std::string(target.substr(question + 1));
  out.body = std::move(in.body());
  return out;
}

// The whole answer in one buffer, so it leaves in one TLS record and one segment.
std::string serialize(const Response& response, unsigned version, bool keep_alive) {
  const auto status = static_cast<unsigned>(response.status);
  const beast::string_view reason = http::obsolete_reason(http::int_to_status(status));
  std::string out;
  out.reserve(128 + response.body.size() + 64 * response.headers.size());
  out.append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ").append(std::to_string(status)).append(" ");
  out.append(reason.data(), reason.size()).append("\r\n");
  for (const auto& [name, value] : response.headers) out.append(name).append(": ").append(value).append("\r\n");
  if (status >= 200 && status != 204 && status != 304) {
    out.append("Content-Length: ").append(std::to_string(response.body.size())).append("\r\n");
  }
  if (!keep_alive) {
    out.append("Connection: close\r\n");
  } else if (version == 10) {
    out.append("Connection: keep-alive\r\n");
  }
  out.append("\r\n").append(response.body);
  return out;
}

// Reads and drops `length` bytes, the buffered ones first; false when the client fell silent
// or went away before sending them all.
bool discard(TlsStream& stream, beast::flat_buffer& buffer, std::uint64_t length) {
  const std::size_t buffered = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), length));
  buffer.consume(buffered);
  length -= buffered;
  std::array<char, 16 * 1024> scratch{};
  while (length > 0) {
    ErrorCode ec;
    const std::size_t n =
        stream.read_some(net::buffer(scratch.data(), std::min<std::uint64_t>(length, scratch.size())), ec);
    if (ec) return false;
    length -= n;
  }
  return true;
}

struct Outcome {
  Response response;
  unsigned version = 11;
  bool keep_alive = false;
  bool request_read_whole = false;         // false: refused, the rest of it may still be arriving
  std::uint64_t discard_after_answer = 0;  // body bytes of a refused request to read past first
};

}  // namespace

struct HttpsServer::Impl {
  Impl(HttpsServerOptions o, RequestHandler h, RefusalHandler r)
      : options(std::move(o)), handle(std::move(h)), refuse(std::move(r)) {}
  ~Impl() {
    if (listener >= 0) close(listener);
  }

  HttpsServerOptions options;
  RequestHandler handle;
  RefusalHandler refuse;
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> tls{SSL_CTX_new(TLS_server_method()), &SSL_CTX_free};
  int listener = -1;
  int port = 0;
  std::thread acceptor;
  std::vector<std::thread> workers;
  std::mutex mutex;
  std::condition_variable ready;
  std::deque<int> waiting;  // accepted, not yet taken by a worker
  std::set<int> open;       // taken by a worker; stop() shuts them down
  bool stopping = false;

  void accept_until_stopped();
  void work_until_stopped();
  void serve_connection(int fd);
  std::optional<Outcome> next_exchange(TlsStream& stream, beast::flat_buffer& buffer, std::size_t served);
  std::optional<Outcome> refused(HttpRefusal refusal, const Parser& parser, std::string_view unparsed);
  std::optional<Outcome> body_too_large(const Parser& parser, std::size_t served);
};

void HttpsServer::Impl::accept_until_stopped() {
  while (true) {
    const int fd = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    std::lock_guard<std::mutex> lock(mutex);
    if (stopping) {
      if (fd >= 0) close(fd);
      return;
    }
    if (fd < 0) continue;  // a connection that went away before accept, or EMFILE: try again
    waiting.push_back(fd);
    ready.notify_one();
  }
}

void HttpsServer::Impl::work_until_stopped() {
  // A write to a connection the client closed must fail with EPIPE, not kill the process: the
  // signal a write raises goes to the writing thread, and here it stays blocked and pending.
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
  while (true) {
    int fd = -1;
    {
      std::unique_lock<std::mutex> lock(mutex);
      ready.wait(lock, [&] { return stopping || !waiting.empty(); });
      if (stopping) return;
      fd = waiting.front();
      waiting.pop_front();
      open.insert(fd);
    }
    serve_connection(fd);
    std::lock_guard<std::mutex> lock(mutex);
    open.erase(fd);
    close(fd);
  }
}

void HttpsServer::Impl::serve_connection(int fd) {
  const timeval timeout{static_cast<time_t>(options.io_timeout_seconds), 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(tls.get()), &SSL_free);
  if (!ssl || SSL_set_fd(ssl.get(), fd) != 1 || SSL_accept(ssl.get()) != 1) {
    ERR_clear_error();
    return;  // not TLS, or not a version and suite we speak: no HTTP answer
  }
  TlsStream stream(ssl.get());
  beast::flat_buffer buffer;
  bool clean_end = true;
  for (std::size_t served = 0;;) {
    auto outcome = next_exchange(stream, buffer, served);
    if (!outcome) break;
    ++served;
    const std::string bytes = serialize(outcome->response, outcome->version, outcome->keep_alive);
    ErrorCode ec;
    for (std::size_t sent = 0; sent < bytes.size() && !ec;)
      sent += stream.write(bytes.data() + sent, bytes.size() - sent, ec);
    if (ec) return;
    if (outcome->discard_after_answer > 0 && !discard(stream, buffer, outcome->discard_after_answer)) return;
    if (!outcome->keep_alive) {
      clean_end = outcome->request_read_whole && buffer.size() == 0;
      break;
    }
  }
  SSL_shutdown(ssl.get());  // close_notify, without waiting for the client's
  ERR_clear_error();
  shutdown(fd, SHUT_WR);
  if (clean_end) return;
  // Closing with request bytes unread would reset the connection and could destroy the answer
  // in flight (a refused body still arriving), so what the client still sends is drained.
  std::array<char, 16 * 1024> scratch{};
  for (std::size_t drained = 0; drained < 64 * 1024 * 1024;) {
    const ssize_t n = recv(fd, scratch.data(), scratch.size(), 0);
    if (n <= 0) break;
    drained += static_cast<std::size_t>(n);
  }
}

// Reads one request and works out its answer; nothing when the client left or fell silent.
std::optional<Outcome> HttpsServer::Impl::next_exchange(TlsStream& stream, beast::flat_buffer& buffer,
                                                        std::size_t served) {
  Parser parser;
  parser.header_limit(static_cast<std::uint32_t>(options.max_head_bytes));
  parser.body_limit(options.max_body_bytes);
  ErrorCode ec;
  http::read_header(stream, buffer, parser, ec);
  if (ec) {
    if (is_hang_up(ec)) return std::nullopt;
    const std::string_view raw(static_cast<const char*>(buffer.data().data()), buffer.data().size());
    // A Content-Length over the limit: the head is read whole and taken off the buffer, and
    // nothing of the body is.
    if (ec == http::error::body_limit) return body_too_large(parser, served);
    HttpRefusal refusal = HttpRefusal::kMalformed;
    if (ec == http::error::header_limit) {
      const bool line_taken = !parser.get().method_string().empty();
      refusal = !line_taken && raw.substr(0, raw.find("\r\n")).size() > options.max_target_bytes
                    ? HttpRefusal::kTargetTooLong
                    : HttpRefusal::kHeadersTooLarge;
    }
    return refused(refusal, parser, raw);
  }
  const auto& head = parser.get();
  if (head.target().size() > options.max_target_bytes) return refused(HttpRefusal::kTargetTooLong, parser, {});
  if (static_cast<std::size_t>(std::distance(head.begin(), head.end())) > options.max_header_fields) {
    return refused(HttpRefusal::kHeadersTooLarge, parser, {});
  }
  // RFC 9110 section 10.1.1: a client that waits for 100 (Continue) gets it before the body.
  if (auto expect = head.find(http::field::expect);
      expect != head.end() && beast::iequals(expect->value(), "100-continue") && !parser.is_done()) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    stream.write(kContinue.data(), kContinue.size(), ec);
    if (ec) return std::nullopt;
  }
  http::read(stream, buffer, parser, ec);
  // Past the head (a chunked body over the limit): how much of the body is taken is not known.
  if (ec == http::error::body_limit) return refused(HttpRefusal::kBodyTooLarge, parser, {});
  if (ec) {
    if (is_hang_up(ec)) return std::nullopt;
    return refused(HttpRefusal::kMalformed, parser, {});
  }
  Outcome outcome;
  outcome.version = parser.get().version();
  outcome.keep_alive = parser.keep_alive() && served + 1 < options.keep_alive_max_requests;
  outcome.request_read_whole = true;
  outcome.response = handle(to_request(parser.get()));
  return outcome;
}

// Beast has taken in the request line and every whole field before the one it stopped at;
// `unparsed` holds the rest of the head as received, salvaged for the echo.
std::optional<Outcome> HttpsServer::Impl::refused(HttpRefusal refusal, const Parser& parser,
                                                  std::string_view unparsed) {
  const auto& head = parser.get();
  const bool line_taken = !head.method_string().empty();
  Request seen = head_only(head);
  if (!unparsed.empty()) {
    Request rest = salvage_request_head(unparsed, !line_taken);
    if (!line_taken) seen.method = std::move(rest.method);
    seen.headers.merge(rest.headers);
  }
  Outcome outcome;
  outcome.version = head.version();  // 11 until a request line is read
  outcome.response = refuse(refusal, seen);
  return outcome;
}

// The 413 goes out before the body is read (a client may wait for it instead of sending it).
// A body announced by Content-Length, within max_discarded_body_bytes and not held back for a
// 100 (Continue), is then read past and the connection kept: RFC 9110 section 10.1.1 lets a
// server that answered early continue reading the content, and a client need not reconnect.
// Anything else (larger, one that may never come, or a connection ending anyway) ends the
// connection as before. Called only with the head taken off the buffer and none of the body.
std::optional<Outcome> HttpsServer::Impl::body_too_large(const Parser& parser, std::size_t served) {
  auto outcome = refused(HttpRefusal::kBodyTooLarge, parser, {});
  const auto& head = parser.get();
  const auto length = parser.content_length();
  const bool awaits_continue = head.find(http::field::expect) != head.end();
  const bool stays_open = parser.keep_alive() && served + 1 < options.keep_alive_max_requests;
  if (outcome && stays_open && length && !parser.chunked() && !awaits_continue &&
      *length <= options.max_discarded_body_bytes) {
    outcome->discard_after_answer = *length;
    outcome->keep_alive = true;
  }
  return outcome;
}

HttpsServer::HttpsServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<HttpsServer>> HttpsServer::listen(const tls::TlsMaterial& material, HttpsServerOptions options,
                                                         RequestHandler handle, RefusalHandler refuse) {
  if (options.threads < 1) return make_error("the HTTPS server needs at least one thread");
  auto impl = std::make_unique<Impl>(std::move(options), std::move(handle), std::move(refuse));
  if (!impl->tls) return make_error("TLS server could not be set up");
  SSL_CTX& context = *impl->tls;
  if (auto status = tls::configure_server_context(context, material); !status) return status.error();
  if (!impl->options.client_ca_file.empty()) {
    if (auto status = tls::require_client_certificates(context, impl->options.client_ca_file); !status) {
      return status.error();
    }
  }
  if (impl->options.allow_tls10) {  // the allow-tls10 defect
    SSL_CTX_set_security_level(&context, 0);
    SSL_CTX_set_min_proto_version(&context, TLS1_VERSION);
  }

  const std::string where = impl->options.host + ":" + std::to_string(impl->options.port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (getaddrinfo(impl->options.host.c_str(), std::to_string(impl->options.port).c_str(), &hints, &found) != 0 ||
      found == nullptr) {
    return make_error("cannot resolve " + where);
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, &freeaddrinfo);
  impl->listener = socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  if (impl->listener < 0 || setsockopt(impl->listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
      bind(impl->listener, found->ai_addr, found->ai_addrlen) != 0 || ::listen(impl->listener, SOMAXCONN) != 0) {
    return make_error("cannot listen on " + where);
  }
  sockaddr_storage bound{};
  socklen_t length = sizeof bound;
  getsockname(impl->listener, reinterpret_cast<sockaddr*>(&bound), &length);
  impl->port = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                                 : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  return std::unique_ptr<HttpsServer>(new HttpsServer(std::move(impl)));
}

void HttpsServer::serve() {
  Impl* self = impl_.get();
  for (std::size_t i = 0; i < self->options.threads; ++i)
    self->workers.emplace_back([self] { self->work_until_stopped(); });
  self->acceptor = std::thread([self] { self->accept_until_stopped(); });
}

HttpsServer::~HttpsServer() { stop(); }

int HttpsServer::port() const { return impl_->port; }

void HttpsServer::stop() {
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    if (impl_->stopping) return;
    impl_->stopping = true;
    // Wakes the workers blocked on a connection and the acceptor blocked in accept (Linux).
    for (int fd : impl_->open) shutdown(fd, SHUT_RD);  // reads end; an answer being written still goes
    shutdown(impl_->listener, SHUT_RDWR);
  }
  impl_->ready.notify_all();
  if (impl_->acceptor.joinable()) impl_->acceptor.join();
  for (auto& worker : impl_->workers) worker.join();
  for (int fd : impl_->waiting) close(fd);
  impl_->waiting.clear();
  close(impl_->listener);  // a stopped server refuses connections
  impl_->listener = -1;
}

}  // namespace tigress::relay
