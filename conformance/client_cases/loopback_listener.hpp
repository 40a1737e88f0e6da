// A TCP port on 127.0.0.1 that nobody serves, to tell whether a client connected at all: the
// kernel completes the handshake into the backlog, and one non-blocking accept() afterwards
// finds it. (What the client would have sent is beside the point: a connection is the finding.)
#pragma once

#include <cstdint>
#include <memory>

#include "common/result.hpp"

namespace tigress::conformance::client_suite {

class LoopbackListener {
 public:
  static Result<std::unique_ptr<LoopbackListener>> open();
  ~LoopbackListener();
  LoopbackListener(const LoopbackListener&) = delete;
  LoopbackListener& operator=(const LoopbackListener&) = delete;

  std::uint16_t port() const { return port_; }
  bool was_connected();  // true once some connection has arrived

 private:
  LoopbackListener(int fd, std::uint16_t port) : fd_(fd), port_(port) {}
  int fd_;
  std::uint16_t port_;
  bool connected_ = false;
};

}  // namespace tigress::conformance::client_suite
