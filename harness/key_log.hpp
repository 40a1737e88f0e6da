// SSLKEYLOGFILE: when the environment names a file, every TLS context the suite creates (the wire
// client's and the instrumented relay's) appends its session secrets there in the NSS key log
// format, so a user can decrypt a capture in Wireshark. The file is opened once per process and
// path (created with mode 0600) and written one whole line at a time under a lock.
#pragma once

#include <openssl/ssl.h>

namespace tigress::harness {

// Reads SSLKEYLOGFILE now; does nothing when it is unset or empty. A file that cannot be opened
// is reported once on stderr, and the connection goes on without a key log.
void install_key_log(SSL_CTX* context);

}  // namespace tigress::harness
