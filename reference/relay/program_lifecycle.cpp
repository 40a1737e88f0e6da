#include "reference/relay/program_lifecycle.hpp"

#include <pthread.h>

#include <csignal>
#include <fstream>

namespace tigress::relay {

Status write_certificate_pem(const std::string& path, const std::string& pem) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!(out << pem)) return make_error("cannot write " + path);
  return {};
}

TerminationSignals::TerminationSignals() {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGINT);
  sigaddset(&signals_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

void TerminationSignals::wait() const {
  int received = 0;
  sigwait(&signals_, &received);
}

}  // namespace tigress::relay
