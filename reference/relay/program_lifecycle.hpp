// What a relay program does around its server: write the certificate clients are to trust, and
// run until SIGINT or SIGTERM. Shared by tigress-relay and the test relays built on the core.
#pragma once

#include <signal.h>

#include <string>

#include "common/result.hpp"

namespace tigress::relay {

// Writes `pem` to `path` (truncating it), for --cert-out.
Status write_certificate_pem(const std::string& path, const std::string& pem);

// Blocks SIGINT and SIGTERM in the calling thread, so in every thread it starts afterwards, and
// ignores SIGPIPE (a peer that hangs up is an error value, not a signal). Construct it before any
// server thread starts; wait() then takes the signal synchronously.
class TerminationSignals {
 public:
  TerminationSignals();
  void wait() const;

 private:
  sigset_t signals_;
};

}  // namespace tigress::relay
