#include "harness/adversary/server_connection.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <thread>

namespace tigress::harness::adversary {
namespace {

// Short socket timeouts turn blocking TLS reads into polls of the stop flag.
constexpr int kPollMs = 50;
// A client that sends nothing for this long is gone as far as the relay is concerned.
constexpr auto kIdleLimit = std::chrono::seconds(30);

std::string trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return std::string(text);
}

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// Parses the header section (request line and fields, without the blank line).
bool parse_head(std::string_view head, ReceivedRequest& request, std::size_t& content_length) {
  const auto line_end = head.find("\r\n");
  const std::string_view request_line = head.substr(0, line_end);
  const auto first = request_line.find(' ');
  const auto last = request_line.rfind(' ');
  if (first == std::string_view::npos || last == first) return false;
  request.method = std::string(request_line.substr(0, first));
  request.target = std::string(request_line.substr(first + 1, last - first - 1));
  content_length = 0;
  std::size_t position = line_end == std::string_view::npos ? head.size() : line_end + 2;
  while (position < head.size()) {
    auto end = head.find("\r\n", position);
    if (end == std::string_view::npos) end = head.size();
    const std::string_view line = head.substr(position, end - position);
    position = end + 2;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return false;
    std::string name(line.substr(0, colon));
    std::string value = trim(line.substr(colon + 1));
    if (iequal(name, "Transfer-Encoding")) return false;  // a client never needs chunked requests
    if (iequal(name, "Content-Length")) {
      if (value.empty() || value.size() > 9 ||
          !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return false;
      }
      content_length = std::stoul(value);
    }
    request.headers.emplace_back(std::move(name), std::move(value));
  }
  return true;
}

}  // namespace

ServerConnection::ServerConnection(int fd, SSL_CTX* context, const std::atomic<bool>& stop) : fd_(fd), stop_(stop) {
  timeval limit{0, kPollMs * 1000};
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  timeval send_limit{5, 0};
  setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &send_limit, sizeof send_limit);
  ssl_ = SSL_new(context);
  if (ssl_ != nullptr) SSL_set_fd(ssl_, fd_);
}

ServerConnection::~ServerConnection() {
  if (ssl_ != nullptr) SSL_free(ssl_);
  ::close(fd_);
}

bool ServerConnection::handshake() {
  if (ssl_ == nullptr) return false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!stop_.load() && std::chrono::steady_clock::now() < deadline) {
    const int result = SSL_accept(ssl_);
    if (result == 1) return true;
    const int error = SSL_get_error(ssl_, result);
    if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) return false;
  }
  return false;
}

bool ServerConnection::fill(std::size_t max_bytes) {
  const auto deadline = std::chrono::steady_clock::now() + kIdleLimit;
  while (!stop_.load() && std::chrono::steady_clock::now() < deadline) {
    char chunk[16384];
    const int n = SSL_read(ssl_, chunk, sizeof chunk);
    if (n > 0) {
      buffer_.append(chunk, static_cast<std::size_t>(n));
      return buffer_.size() <= max_bytes;
    }
    const int error = SSL_get_error(ssl_, n);
    if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) return false;
  }
  return false;
}

std::optional<ReceivedRequest> ServerConnection::read_request(std::size_t max_bytes) {
  std::size_t head_end;
  while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!fill(max_bytes)) return std::nullopt;
  }
  ReceivedRequest request;
  std::size_t content_length = 0;
  if (!parse_head(std::string_view(buffer_).substr(0, head_end), request, content_length)) {
    request.malformed = true;
    request.raw = buffer_.substr(0, std::min(buffer_.size(), max_bytes));
    buffer_.clear();
    return request;
  }
  const std::size_t total = head_end + 4 + content_length;
  if (total > max_bytes) return std::nullopt;
  while (buffer_.size() < total) {
    if (!fill(max_bytes + total)) return std::nullopt;
  }
  request.body = buffer_.substr(head_end + 4, content_length);
  request.raw = buffer_.substr(0, total);
  buffer_.erase(0, total);
  return request;
}

bool ServerConnection::write(std::string_view bytes) {
  int retries = 0;
  while (!bytes.empty() && !stop_.load()) {
    const int chunk = static_cast<int>(std::min<std::size_t>(bytes.size(), 1 << 16));
    const int n = SSL_write(ssl_, bytes.data(), chunk);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      retries = 0;
      continue;
    }
    const int error = SSL_get_error(ssl_, n);
    if ((error != SSL_ERROR_WANT_WRITE && error != SSL_ERROR_WANT_READ) || ++retries > 100) return false;
  }
  return bytes.empty();
}

bool ServerConnection::stall(std::chrono::milliseconds duration) {
  const auto end = std::chrono::steady_clock::now() + duration;
  while (std::chrono::steady_clock::now() < end) {
    if (stop_.load()) return false;
    pollfd entry{fd_, POLLRDHUP, 0};
    if (::poll(&entry, 1, kPollMs) > 0 && (entry.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0) {
      return false;  // the client gave up: nobody is left to answer
    }
  }
  return !stop_.load();
}

}  // namespace tigress::harness::adversary
