#include "conformance/client_cases/loopback_listener.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tigress::conformance::client_suite {

Result<std::unique_ptr<LoopbackListener>> LoopbackListener::open() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return make_error("cannot create a socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(fd, 8) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    return make_error("cannot listen on 127.0.0.1");
  }
  return std::unique_ptr<LoopbackListener>(new LoopbackListener(fd, ntohs(address.sin_port)));
}

LoopbackListener::~LoopbackListener() { ::close(fd_); }

bool LoopbackListener::was_connected() {
  if (!connected_) {
    const int client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client >= 0) {
      ::close(client);
      connected_ = true;
    }
  }
  return connected_;
}

}  // namespace tigress::conformance::client_suite
