#include "harness/transport.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace tigress::harness::detail {
namespace {

using SteadyClock = std::chrono::steady_clock;

struct Address {
  sockaddr_storage storage{};
  socklen_t length = 0;
};

// getaddrinfo() has no timeout of its own, so it runs on a detached thread that owns its
// share of the state; when the deadline passes first we simply stop waiting for it.
struct Lookup {
  std::mutex mutex;
  std::condition_variable done_signal;
  bool done = false;
  int rc = 0;
  std::vector<Address> addresses;
};

Result<std::vector<Address>> resolve(const std::string& host, int port, const Deadline& deadline) {
  Address literal;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&literal.storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&literal.storage);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<std::uint16_t>(port));
    literal.length = sizeof(sockaddr_in);
    return std::vector<Address>{literal};
  }
  if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<std::uint16_t>(port));
    literal.length = sizeof(sockaddr_in6);
    return std::vector<Address>{literal};
  }
  auto lookup = std::make_shared<Lookup>();
  std::thread([lookup, host, port] {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_ADDRCONFIG;
    addrinfo* found = nullptr;
    const int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
    std::vector<Address> addresses;
    for (addrinfo* entry = rc == 0 ? found : nullptr; entry != nullptr; entry = entry->ai_next) {
      if (entry->ai_addrlen > sizeof(sockaddr_storage)) continue;
      Address address;
      std::memcpy(&address.storage, entry->ai_addr, entry->ai_addrlen);
      address.length = entry->ai_addrlen;
      addresses.push_back(address);
    }
    if (found != nullptr) freeaddrinfo(found);
    std::lock_guard lock(lookup->mutex);
    lookup->rc = rc;
    lookup->addresses = std::move(addresses);
    lookup->done = true;
    lookup->done_signal.notify_all();
  }).detach();
  std::unique_lock lock(lookup->mutex);
  if (!lookup->done_signal.wait_for(lock, std::chrono::milliseconds(deadline.remaining_ms()),
                                    [&] { return lookup->done; })) {
    return deadline.timeout("resolving " + host);
  }
  if (lookup->rc != 0) return make_error("resolve " + host + ": " + gai_strerror(lookup->rc));
  if (lookup->addresses.empty()) return make_error("resolve " + host + ": no addresses");
  return std::move(lookup->addresses);
}

}  // namespace

Deadline::Deadline(std::chrono::milliseconds budget)
    : start_(SteadyClock::now()), end_(start_ + budget), budget_(budget) {}

int Deadline::remaining_ms() const {
  const auto left = end_ - SteadyClock::now();
  if (left <= SteadyClock::duration::zero()) return 0;
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
  return ms > 1'000'000'000 ? 1'000'000'000 : static_cast<int>(ms);
}

bool Deadline::expired() const { return SteadyClock::now() >= end_; }

double Deadline::elapsed_ms() const {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - start_).count();
}

Error Deadline::timeout(const std::string& phase) const {
  return make_error("timeout after " + std::to_string(budget_.count()) + " ms (" + phase + ")");
}

std::string errno_text(int error) {
  std::string text = std::strerror(error);
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

Socket::Socket(Socket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

Socket& Socket::operator=(Socket&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

Socket::~Socket() {
  if (fd_ >= 0) ::close(fd_);
}

Status wait_ready(int fd, short events, const Deadline& deadline, const std::string& phase) {
  for (;;) {
    const int left = deadline.remaining_ms();
    if (left == 0) return deadline.timeout(phase);
    pollfd entry{fd, events, 0};
    const int ready = ::poll(&entry, 1, left);
    if (ready < 0 && errno != EINTR) return make_error("poll: " + errno_text(errno));
    // Errors and hang-ups also end the wait: the next read or write reports them.
    if (ready > 0) return {};
  }
}

Result<Socket> connect_tcp(const std::string& host, int port, const Deadline& deadline) {
  auto addresses = resolve(host, port, deadline);
  if (!addresses) return addresses.error();
  std::string last_error = "connect: no address";
  for (const Address& address : *addresses) {
    Socket socket(::socket(address.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (socket.fd() < 0) {
      last_error = "socket: " + errno_text(errno);
      continue;
    }
    int error = 0;
    if (::connect(socket.fd(), reinterpret_cast<const sockaddr*>(&address.storage), address.length) != 0) {
      error = errno;
      if (error == EINPROGRESS || error == EINTR) {
        auto ready = wait_ready(socket.fd(), POLLOUT, deadline, "connecting");
        if (!ready) return ready.error();
        socklen_t length = sizeof error;
        if (getsockopt(socket.fd(), SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
      }
    }
    if (error != 0) {
      last_error = "connect: " + errno_text(error);
      continue;
    }
    // Requests go out in one piece; Nagle would only delay the last segment.
    const int on = 1;
    setsockopt(socket.fd(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    return socket;
  }
  return make_error(last_error);
}

IoResult PlainStream::read(char* data, std::size_t size) {
  for (;;) {
    const ssize_t n = ::recv(fd(), data, size, 0);
    if (n > 0) return {IoStatus::kDone, static_cast<std::size_t>(n), {}};
    if (n == 0) return {IoStatus::kEof, 0, {}};
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return {IoStatus::kWantRead, 0, {}};
    return {IoStatus::kError, 0, "read: " + errno_text(errno)};
  }
}

IoResult PlainStream::write(const char* data, std::size_t size) {
  for (;;) {
    // MSG_NOSIGNAL: a target that hangs up must cost an EPIPE, not the process.
    const ssize_t n = ::send(fd(), data, size, MSG_NOSIGNAL);
    if (n >= 0) return {IoStatus::kDone, static_cast<std::size_t>(n), {}};
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return {IoStatus::kWantWrite, 0, {}};
    return {IoStatus::kError, 0, "write: " + errno_text(errno)};
  }
}

bool is_ip_literal(const std::string& host) {
  in6_addr buffer{};
  return inet_pton(AF_INET, host.c_str(), &buffer) == 1 || inet_pton(AF_INET6, host.c_str(), &buffer) == 1;
}

}  // namespace tigress::harness::detail
