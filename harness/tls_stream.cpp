// TLS for the wire client, on OpenSSL 3 directly. The socket is wrapped in a small BIO of our
// own because OpenSSL's socket BIO writes with write(2): a target resetting the connection
// would raise SIGPIPE in the suite. Ours uses send(MSG_NOSIGNAL) and reports EOF like the
// stock one, so SSL_OP_IGNORE_UNEXPECTED_EOF still applies.
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <unistd.h>

#include <cerrno>
#include <map>
#include <memory>
#include <mutex>

#include "harness/key_log.hpp"
#include "harness/transport.hpp"

namespace tigress::harness::detail {
namespace {

struct BioSocket {
  int fd = -1;
  int last_errno = 0;
  bool eof = false;
};

int bio_write(BIO* bio, const char* data, int length) {
  auto* socket = static_cast<BioSocket*>(BIO_get_data(bio));
  BIO_clear_retry_flags(bio);
  for (;;) {
    const ssize_t n = ::send(socket->fd, data, static_cast<std::size_t>(length), MSG_NOSIGNAL);
    if (n >= 0) return static_cast<int>(n);
    if (errno == EINTR) continue;
    socket->last_errno = errno;
    if (errno == EAGAIN || errno == EWOULDBLOCK) BIO_set_retry_write(bio);
    return -1;
  }
}

int bio_read(BIO* bio, char* data, int length) {
  auto* socket = static_cast<BioSocket*>(BIO_get_data(bio));
  BIO_clear_retry_flags(bio);
  for (;;) {
    const ssize_t n = ::recv(socket->fd, data, static_cast<std::size_t>(length), 0);
    if (n > 0) return static_cast<int>(n);
    if (n == 0) {
      socket->eof = true;  // OpenSSL asks BIO_eof() to tell a clean end from an error
      return 0;
    }
    if (errno == EINTR) continue;
    socket->last_errno = errno;
    if (errno == EAGAIN || errno == EWOULDBLOCK) BIO_set_retry_read(bio);
    return -1;
  }
}

long bio_ctrl(BIO* bio, int command, long, void*) {
  auto* socket = static_cast<BioSocket*>(BIO_get_data(bio));
  switch (command) {
    case BIO_CTRL_FLUSH:
      return 1;  // send() has no user-space buffer
    case BIO_CTRL_EOF:
      return socket != nullptr && socket->eof ? 1 : 0;
    case BIO_C_GET_FD:
      return socket != nullptr ? socket->fd : -1;
    default:
      return 0;  // everything else (kTLS, push/pop, ...) is unsupported, which OpenSSL accepts
  }
}

int bio_create(BIO* bio) {
  BIO_set_data(bio, nullptr);
  BIO_set_init(bio, 1);
  return 1;
}

int bio_destroy(BIO* bio) {
  delete static_cast<BioSocket*>(BIO_get_data(bio));
  BIO_set_data(bio, nullptr);
  return 1;
}

// Built once and kept for the life of the process (OpenSSL holds no per-use state in it).
const BIO_METHOD* socket_method() {
  static BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "tigress-socket");
    if (m != nullptr) {
      BIO_meth_set_write(m, bio_write);
      BIO_meth_set_read(m, bio_read);
      BIO_meth_set_ctrl(m, bio_ctrl);
      BIO_meth_set_create(m, bio_create);
      BIO_meth_set_destroy(m, bio_destroy);
    }
    return m;
  }();
  return method;
}

struct CtxDeleter {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
struct SslDeleter {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};

std::string openssl_reason(unsigned long code) {
  if (code == 0) return "unknown OpenSSL error";
  if (const char* reason = ERR_reason_error_string(code)) return reason;
  char buffer[256];
  ERR_error_string_n(code, buffer, sizeof buffer);
  return buffer;
}

std::string name_text(const X509_NAME* name) {
  if (name == nullptr) return "?";
  std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), BIO_free);
  if (!out || X509_NAME_print_ex(out.get(), name, 0, XN_FLAG_RFC2253) < 0) return "?";
  char* data = nullptr;
  const long size = BIO_get_mem_data(out.get(), &data);
  return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

// Who the target claimed to be, so a verification failure can be told apart from a wrong CA
// file. The chain is what the target sent: after a failed verification there is no verified
// peer certificate, but the received chain is kept.
std::string presented_certificate(const SSL* ssl) {
  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl);
  if (chain == nullptr || sk_X509_num(chain) == 0) return "";
  const X509* leaf = sk_X509_value(chain, 0);
  return "; the target presented a certificate with subject \"" + name_text(X509_get_subject_name(leaf)) +
         "\" issued by \"" + name_text(X509_get_issuer_name(leaf)) + "\"";
}

struct SessionDeleter {
  void operator()(SSL_SESSION* session) const { SSL_SESSION_free(session); }
};
using SessionPtr = std::unique_ptr<SSL_SESSION, SessionDeleter>;

// One configured SSL_CTX and the last resumable session per host name. Shared by every
// connection with the same configuration, from any thread.
class ClientContext {
 public:
  explicit ClientContext(std::unique_ptr<SSL_CTX, CtxDeleter> ctx) : ctx_(std::move(ctx)) {}
  SSL_CTX* get() const { return ctx_.get(); }

  SessionPtr session_for(const std::string& host) {
    const std::lock_guard lock(mutex_);
    const auto found = sessions_.find(host);
    if (found == sessions_.end()) return nullptr;
    SSL_SESSION_up_ref(found->second.get());
    return SessionPtr(found->second.get());
  }
  void remember(const std::string& host, SessionPtr session) {
    const std::lock_guard lock(mutex_);
    sessions_[host] = std::move(session);
  }

 private:
  std::unique_ptr<SSL_CTX, CtxDeleter> ctx_;
  std::mutex mutex_;
  std::map<std::string, SessionPtr> sessions_;
};

class TlsStream final : public Stream {
 public:
  TlsStream(Socket socket, std::shared_ptr<ClientContext> ctx, std::unique_ptr<SSL, SslDeleter> ssl,
            BioSocket* bio_state)
      : socket_(std::move(socket)), ctx_(std::move(ctx)), ssl_(std::move(ssl)), bio_state_(bio_state) {}

  // Read errors, write errors and handshake errors differ only in their prefix.
  std::string failure(int ret) const {
    const int error = SSL_get_error(ssl_.get(), ret);
    std::string reason;
    if (error == SSL_ERROR_SSL) {
      const unsigned long code = ERR_peek_last_error();
      reason = openssl_reason(code);
      if (ERR_GET_REASON(code) == SSL_R_CERTIFICATE_VERIFY_FAILED) {
        reason += std::string(" (") + X509_verify_cert_error_string(SSL_get_verify_result(ssl_.get())) + ")" +
                  presented_certificate(ssl_.get());
      }
    } else if (error == SSL_ERROR_ZERO_RETURN || (error == SSL_ERROR_SYSCALL && bio_state_->eof)) {
      reason = "connection closed by the target";
    } else if (error == SSL_ERROR_SYSCALL && bio_state_->last_errno != 0) {
      reason = errno_text(bio_state_->last_errno);
    } else {
      reason = "OpenSSL error " + std::to_string(error);
    }
    ERR_clear_error();
    return reason;
  }

  IoResult outcome(int ret, std::size_t bytes, const char* prefix) const {
    if (ret == 1) return {IoStatus::kDone, bytes, {}};
    switch (SSL_get_error(ssl_.get(), ret)) {
      case SSL_ERROR_WANT_READ:
        return {IoStatus::kWantRead, 0, {}};
      case SSL_ERROR_WANT_WRITE:
        return {IoStatus::kWantWrite, 0, {}};
      case SSL_ERROR_ZERO_RETURN:
        return {IoStatus::kEof, 0, {}};
      default:
        return {IoStatus::kError, 0, prefix + failure(ret)};
    }
  }

  IoResult read(char* data, std::size_t size) override {
    ERR_clear_error();  // SSL_get_error() is only meaningful with an empty error queue
    std::size_t got = 0;
    const int ret = SSL_read_ex(ssl_.get(), data, size, &got);  // before `got` is read below
    return outcome(ret, got, "read: ");
  }

  IoResult write(const char* data, std::size_t size) override {
    ERR_clear_error();
    std::size_t sent = 0;
    const int ret = SSL_write_ex(ssl_.get(), data, size, &sent);
    return outcome(ret, sent, "write: ");
  }

  int fd() const override { return socket_.fd(); }
  bool resumed_session() const override { return SSL_session_reused(ssl_.get()) == 1; }
  bool has_buffered_input() const override { return SSL_has_pending(ssl_.get()) == 1; }

  Status handshake(const Deadline& deadline) {
    for (;;) {
      ERR_clear_error();
      const int ret = SSL_connect(ssl_.get());
      if (ret == 1) return {};
      const int error = SSL_get_error(ssl_.get(), ret);
      if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
        return make_error("TLS handshake failed: " + failure(ret));
      }
      auto ready = wait_ready(fd(), error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline, "TLS handshake");
      if (!ready) return ready;
    }
  }

 private:
  Socket socket_;
  std::shared_ptr<ClientContext> ctx_;    // outlives ssl_ (members end in reverse order)
  std::unique_ptr<SSL, SslDeleter> ssl_;  // owns the BIO, which owns bio_state_
  BioSocket* bio_state_;
};

Error setup_error(const std::string& what) {
  const std::string reason = openssl_reason(ERR_peek_last_error());
  ERR_clear_error();
  return make_error("TLS setup: " + what + ": " + reason);
}

// Never prompts for a pass phrase on the terminal: an encrypted key is an error instead.
int no_pass_phrase(char*, int, int, void*) { return 0; }

Status readable(const std::string& what, const std::string& file) {
  if (::access(file.c_str(), R_OK) != 0) return make_error(what + " " + file + ": " + errno_text(errno));
  return {};
}

Status use_client_certificate(SSL_CTX* ctx, const std::string& cert_file, const std::string& key_file) {
  if (auto ok = readable("client certificate", cert_file); !ok) return ok;
  if (auto ok = readable("client key", key_file); !ok) return ok;
  SSL_CTX_set_default_passwd_cb(ctx, no_pass_phrase);
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file.c_str()) != 1) {
    return setup_error("client certificate " + cert_file);
  }
  const std::string mismatch = "client key " + key_file + " does not match " + cert_file;
  if (SSL_CTX_use_PrivateKey_file(ctx, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) return setup_error(mismatch);
    return setup_error("client key " + key_file + " (PEM, not encrypted)");
  }
  if (SSL_CTX_check_private_key(ctx) != 1) return setup_error(mismatch);
  return {};
}

// Where a session ticket the server sends goes: the host name and the context it belongs to
// ride on the SSL object.
struct SessionSlot {
  std::shared_ptr<ClientContext> context;
  std::string host;
};

void free_session_slot(void*, void* slot, CRYPTO_EX_DATA*, int, long, void*) { delete static_cast<SessionSlot*>(slot); }

int session_slot_index() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, free_session_slot);
  return index;
}

int on_new_session(SSL* ssl, SSL_SESSION* session) {
  auto* slot = static_cast<SessionSlot*>(SSL_get_ex_data(ssl, session_slot_index()));
  if (slot == nullptr || SSL_SESSION_is_resumable(session) != 1) return 0;
  // A copy: OpenSSL marks the connection's own session not resumable when the connection is
  // dropped without a close_notify, which the session does whenever it abandons a connection.
  if (SSL_SESSION* copy = SSL_SESSION_dup(session)) slot->context->remember(slot->host, SessionPtr(copy));
  return 0;  // the library keeps its reference
}

// The file's identity and version, so an edited CA or certificate file builds a new context.
std::string file_version(const std::string& file) {
  struct stat info {};
  if (file.empty() || ::stat(file.c_str(), &info) != 0) return file + "|-";
  return file + "|" + std::to_string(info.st_dev) + ":" + std::to_string(info.st_ino) + ":" +
         std::to_string(info.st_size) + ":" + std::to_string(info.st_mtim.tv_sec) + "." +
         std::to_string(info.st_mtim.tv_nsec);
}

Result<std::unique_ptr<SSL_CTX, CtxDeleter>> build_context(const TlsConfig& config) {
  ERR_clear_error();
  std::unique_ptr<SSL_CTX, CtxDeleter> ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) return setup_error("SSL_CTX_new");
  const bool legacy = (config.min_version != 0 && config.min_version < TLS1_2_VERSION) ||
                      (config.max_version != 0 && config.max_version < TLS1_2_VERSION);
  // At the default security level OpenSSL 3 will not even offer TLS 1.0/1.1 (SHA-1 signatures),
  // so a probe for "old versions are refused" would fail on our side and prove nothing.
  if (legacy) SSL_CTX_set_security_level(ctx.get(), 0);
  if (config.min_version != 0 && SSL_CTX_set_min_proto_version(ctx.get(), config.min_version) != 1) {
    return setup_error("minimum protocol version " + std::to_string(config.min_version));
  }
  if (config.max_version != 0 && SSL_CTX_set_max_proto_version(ctx.get(), config.max_version) != 1) {
    return setup_error("maximum protocol version " + std::to_string(config.max_version));
  }
  // Targets often close without close_notify; the HTTP framing already tells a complete body.
  SSL_CTX_set_options(ctx.get(), SSL_OP_IGNORE_UNEXPECTED_EOF | SSL_OP_NO_COMPRESSION);
  SSL_CTX_set_mode(ctx.get(), SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  // A record's header and body in one recv() (and several records when they are there), not
  // one recv() for the 5 header bytes and another for the rest. Whatever OpenSSL reads ahead is
  // returned by the next SSL_read; the exchange asks for it (has_buffered_input) before it polls.
  SSL_CTX_set_read_ahead(ctx.get(), 1);
  if (config.verify) {
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
    if (!config.ca_file.empty()) {
      if (SSL_CTX_load_verify_locations(ctx.get(), config.ca_file.c_str(), nullptr) != 1) {
        return setup_error("cannot load CA file " + config.ca_file);
      }
    } else if (SSL_CTX_set_default_verify_paths(ctx.get()) != 1) {
      return setup_error("cannot load the system trust store");
    }
  } else {
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  }
  if (!config.client_cert_file.empty()) {
    if (auto loaded = use_client_certificate(ctx.get(), config.client_cert_file, config.client_key_file); !loaded) {
      return loaded.error();
    }
  }
  install_key_log(ctx.get());
  SSL_CTX_set_session_cache_mode(ctx.get(), SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
  SSL_CTX_sess_set_new_cb(ctx.get(), on_new_session);
  return ctx;
}

Result<std::shared_ptr<ClientContext>> context_for(const TlsConfig& config) {
  const std::string key = file_version(config.ca_file) + "|" + std::to_string(config.verify) + "|" +
                          std::to_string(config.min_version) + "|" + std::to_string(config.max_version) + "|" +
                          file_version(config.client_cert_file) + "|" + file_version(config.client_key_file);
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<ClientContext>> contexts;
  const std::lock_guard lock(mutex);
  if (const auto found = contexts.find(key); found != contexts.end()) return found->second;
  auto built = build_context(config);
  if (!built) return built.error();  // not kept: the next attempt reports it again
  auto context = std::make_shared<ClientContext>(std::move(*built));
  contexts.emplace(key, context);
  return context;
}

}  // namespace

Status check_client_certificate(const std::string& cert_file, const std::string& key_file) {
  ERR_clear_error();
  std::unique_ptr<SSL_CTX, CtxDeleter> ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) return setup_error("SSL_CTX_new");
  return use_client_certificate(ctx.get(), cert_file, key_file);
}

Result<std::unique_ptr<Stream>> tls_connect(Socket socket, const std::string& host, const TlsConfig& config,
                                            const Deadline& deadline) {
  auto context = context_for(config);
  if (!context) return context.error();
  SSL_CTX* ctx = (*context)->get();
  ERR_clear_error();

  std::unique_ptr<SSL, SslDeleter> ssl(SSL_new(ctx));
  if (!ssl) return setup_error("SSL_new");
  const bool ip = is_ip_literal(host);
  // SNI carries DNS names only (RFC 6066 section 3 forbids IP literals there).
  if (!ip && SSL_set_tlsext_host_name(ssl.get(), host.c_str()) != 1) return setup_error("server name " + host);
  if (config.verify) {
    const int set = ip ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl.get()), host.c_str())
                       : SSL_set1_host(ssl.get(), host.c_str());
    if (set != 1) return setup_error("expected peer name " + host);
  }

  const BIO_METHOD* method = socket_method();
  if (method == nullptr) return setup_error("BIO method");
  BIO* bio = BIO_new(method);
  if (bio == nullptr) return setup_error("BIO_new");
  auto* bio_state = new BioSocket{socket.fd(), 0, false};
  BIO_set_data(bio, bio_state);
  SSL_set_bio(ssl.get(), bio, bio);  // one reference, now owned by the SSL
  SSL_set_connect_state(ssl.get());
  if (config.resume_session) {
    auto* slot = new SessionSlot{*context, host};
    if (SSL_set_ex_data(ssl.get(), session_slot_index(), slot) != 1) {
      delete slot;
      return setup_error("session slot");
    }
    if (auto session = (*context)->session_for(host)) SSL_set_session(ssl.get(), session.get());
  }

  auto stream = std::make_unique<TlsStream>(std::move(socket), *context, std::move(ssl), bio_state);
  auto done = stream->handshake(deadline);
  if (!done) return done.error();
  return std::unique_ptr<Stream>(std::move(stream));
}

}  // namespace tigress::harness::detail
