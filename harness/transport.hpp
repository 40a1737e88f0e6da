// Non-blocking byte streams for the wire client, all governed by one Deadline: TCP connect
// (name resolution included), plain reads and writes, and TLS on top. Every wait is a poll()
// bounded by what is left of the deadline, so no phase can outlive the exchange's budget.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "common/result.hpp"

namespace tigress::harness::detail {

class Deadline {
 public:
  explicit Deadline(std::chrono::milliseconds budget);
  // Milliseconds left, rounded up so a poll() never wakes just before the end; 0 when past.
  int remaining_ms() const;
  bool expired() const;
  double elapsed_ms() const;
  // "timeout after N ms (phase)"
  Error timeout(const std::string& phase) const;

 private:
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point end_;
  std::chrono::milliseconds budget_;
};

// The text of an errno value in lower case, to read well after "connect: ".
std::string errno_text(int error);

class Socket {
 public:
  Socket() = default;
  explicit Socket(int fd) : fd_(fd) {}
  Socket(Socket&& other) noexcept;
  Socket& operator=(Socket&& other) noexcept;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket();
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

// A connected, non-blocking TCP socket to host:port (IP literal or DNS name).
Result<Socket> connect_tcp(const std::string& host, int port, const Deadline& deadline);

// Waits until `fd` is ready for `events` (POLLIN/POLLOUT); a timeout error once the deadline passes.
Status wait_ready(int fd, short events, const Deadline& deadline, const std::string& phase);

enum class IoStatus { kDone, kWantRead, kWantWrite, kEof, kError };

struct IoResult {
  IoStatus status = IoStatus::kDone;
  std::size_t bytes = 0;  // with kDone
  std::string error;      // with kError
};

// One non-blocking attempt per call; the caller polls on fd() for what the result wants.
class Stream {
 public:
  virtual ~Stream() = default;
  virtual IoResult read(char* data, std::size_t size) = 0;
  virtual IoResult write(const char* data, std::size_t size) = 0;
  virtual int fd() const = 0;
  // Whether the TLS handshake resumed an earlier session.
  virtual bool resumed_session() const { return false; }
  // Whether input already taken off the socket waits in the stream (TLS records read ahead),
  // which poll() cannot see.
  virtual bool has_buffered_input() const { return false; }
};

class PlainStream final : public Stream {
 public:
  explicit PlainStream(Socket socket) : socket_(std::move(socket)) {}
  IoResult read(char* data, std::size_t size) override;
  IoResult write(const char* data, std::size_t size) override;
  int fd() const override { return socket_.fd(); }

 private:
  Socket socket_;
};

struct TlsConfig {
  std::string ca_file;  // empty: the system's default trust store
  bool verify = true;   // chain and host name / IP address
  int min_version = 0;  // 0: OpenSSL's default
  int max_version = 0;
  std::string client_cert_file;  // mutual TLS: PEM chain and unencrypted key; empty: none
  std::string client_key_file;
  // Offer the session of the last handshake with this host and configuration (RFC 8446
  // section 2.2), for clients that open many connections in a row; probes of the handshake
  // itself leave it off, so each of them sees a full one.
  bool resume_session = false;
};

// Loads the pair into a throwaway context: readable, PEM, key matching the certificate. Errors
// read "client certificate FILE: <reason>" (or "client key FILE: ...").
Status check_client_certificate(const std::string& cert_file, const std::string& key_file);

// Completes a TLS handshake over `socket` within the deadline; errors read
// "TLS handshake failed: <reason>". The SSL_CTX is built once per configuration (and per
// version of the files it names) and kept for the life of the process.
Result<std::unique_ptr<Stream>> tls_connect(Socket socket, const std::string& host, const TlsConfig& config,
                                            const Deadline& deadline);

bool is_ip_literal(const std::string& host);

}  // namespace tigress::harness::detail
