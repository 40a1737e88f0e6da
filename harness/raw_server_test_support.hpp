// Small hostile servers for the wire client's tests: a thread with a listening socket on
// 127.0.0.1, optionally a TLS handshake with a given certificate, then a scripted behaviour
// (never answer, trickle, flood, malformed framing, hang up). They stop when the test ends even
// if the behaviour would run forever.
#pragma once

#include <netinet/in.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "harness/wire_client.hpp"
#include "reference/tls/tls_material.hpp"

namespace tigress::harness::testing {

// The servers write with OpenSSL's socket BIO (plain write(2)); when the client under test
// hangs up, that must be an EPIPE for the server, not a SIGPIPE ending the test binary.
inline const bool kSigpipeIgnored = (std::signal(SIGPIPE, SIG_IGN), true);

// A file in the temporary folder with the given contents (PEM, keys), removed when the test ends.
class TempFile {
 public:
  explicit TempFile(const std::string& contents) {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("tigress-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::ofstream(path_) << contents;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

class Connection {
 public:
  Connection(int fd, SSL* ssl, const std::atomic<bool>& stop) : fd_(fd), ssl_(ssl), stop_(stop) {}

  bool stopped() const { return stop_.load(); }

  bool write(std::string_view data) {
    while (!data.empty()) {
      const int n = ssl_ != nullptr ? SSL_write(ssl_, data.data(), static_cast<int>(data.size()))
                                    : static_cast<int>(::send(fd_, data.data(), data.size(), MSG_NOSIGNAL));
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Reads up to the end of the request header section (or 2 s / the peer closing).
  std::string read_head() {
    std::string head;
    while (head.find("\r\n\r\n") == std::string::npos && !stopped()) {
      char buffer[4096];
      const int n = ssl_ != nullptr ? SSL_read(ssl_, buffer, sizeof buffer)
                                    : static_cast<int>(::recv(fd_, buffer, sizeof buffer, 0));
      if (n <= 0) break;
      head.append(buffer, static_cast<std::size_t>(n));
    }
    return head;
  }

  // Appends the next bytes that arrive; false when the peer closed, 2 s passed or the test ended.
  bool read_more(std::string& into) {
    if (stopped()) return false;
    char buffer[4096];
    const int n = ssl_ != nullptr ? SSL_read(ssl_, buffer, sizeof buffer)
                                  : static_cast<int>(::recv(fd_, buffer, sizeof buffer, 0));
    if (n <= 0) return false;
    into.append(buffer, static_cast<std::size_t>(n));
    return true;
  }

  // Holds the connection open, reading and discarding, until the peer closes or the test ends.
  void idle() {
    while (!stopped()) {
      pollfd entry{fd_, POLLIN, 0};
      if (::poll(&entry, 1, 20) <= 0) continue;
      char buffer[4096];
      if (::recv(fd_, buffer, sizeof buffer, 0) <= 0) return;
    }
  }

  // Sleeps in small steps so that a stopping server is not held up.
  bool pause(std::chrono::milliseconds duration) {
    const auto end = std::chrono::steady_clock::now() + duration;
    while (std::chrono::steady_clock::now() < end) {
      if (stopped()) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return !stopped();
  }

 private:
  int fd_;
  SSL* ssl_;
  const std::atomic<bool>& stop_;
};

class RawServer {
 public:
  using Behaviour = std::function<void(Connection&)>;

  // `material` null: plain TCP, no TLS at all.
  RawServer(const tls::TlsMaterial* material, Behaviour behaviour) : behaviour_(std::move(behaviour)) {
    if (material != nullptr) {
      ctx_ = SSL_CTX_new(TLS_server_method());
      if (ctx_ == nullptr || !tls::configure_server_context(*ctx_, *material).ok()) return;
    }
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listener_, 8) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      return;
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }

  ~RawServer() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    if (listener_ >= 0) ::close(listener_);
    if (ctx_ != nullptr) SSL_CTX_free(ctx_);
  }

  RawServer(const RawServer&) = delete;
  RawServer& operator=(const RawServer&) = delete;

  int port() const { return port_; }  // 0 when setup failed

 private:
  void serve() {
    while (!stop_) {
      pollfd entry{listener_, POLLIN, 0};
      if (::poll(&entry, 1, 20) <= 0) continue;
      const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      // Bounded blocking I/O: a client that stops reading or writing cannot wedge the thread.
      timeval limit{2, 0};
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
      SSL* ssl = nullptr;
      bool ready = true;
      if (ctx_ != nullptr) {
        ssl = SSL_new(ctx_);
        SSL_set_fd(ssl, fd);
        ready = SSL_accept(ssl) == 1;
      }
      if (ready) {
        Connection connection(fd, ssl, stop_);
        behaviour_(connection);
      }
      if (ssl != nullptr) SSL_free(ssl);
      ::close(fd);
    }
  }

  Behaviour behaviour_;
  SSL_CTX* ctx_ = nullptr;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// One instance of a deployment for tests of several targets: a server with a self-signed
// certificate of its own that records the request line of everything it receives and answers
// each with `status` and no body.
class RecordingInstance {
 public:
  explicit RecordingInstance(int status = 404, const std::string& name = "localhost")
      : material_(tls::generate_self_signed({name}, {"127.0.0.1"}, 1)),
        server_(material_ ? &*material_ : nullptr, [this, status](Connection& c) {
          const std::string head = c.read_head();
          if (head.empty()) return;
          {
            std::lock_guard<std::mutex> lock(mutex_);
            lines_.push_back(head.substr(0, head.find("\r\n")));
            heads_.push_back(head);
          }
          c.write("HTTP/1.1 " + std::to_string(status) + " Answer\r\nContent-Length: 0\r\n\r\n");
        }) {}

  Target target() const { return Target{"127.0.0.1", server_.port(), ""}; }
  std::string cert_pem() const { return material_ ? material_->cert_pem : ""; }
  std::vector<std::string> lines() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return lines_;
  }
  // Each request's whole header section, as received.
  std::vector<std::string> heads() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return heads_;
  }
  int requests() const { return static_cast<int>(lines().size()); }

 private:
  Result<tls::TlsMaterial> material_;
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
  std::vector<std::string> heads_;
  RawServer server_;
};

}  // namespace tigress::harness::testing
