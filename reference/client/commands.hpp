// tigress-client's commands, callable in-process (the tests drive them exactly as main does).
//
// Output contract: `out` carries only the command's result (the share URL for `share`, the
// decrypted Provisioning Information for `receive`/`read` and the preview page for `preview`,
// each without --out); `err` carries short progress lines and, on failure, exactly one line
// "tigress-client: <what failed>". No secret ever reaches `err`; the only secret on `out` is
// the share URL's fragment.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace tigress::client {

inline constexpr int kExitSuccess = 0;
inline constexpr int kExitFailure = 1;  // protocol, relay, TLS, crypto or file failure
inline constexpr int kExitUsage = 2;    // bad invocation
// A well-formed request for something this client does not implement (e.g. an AEAD algorithm
// it lacks): the shim contract's "unsupported", which the suite reports as SKIP, not FAIL.
inline constexpr int kExitUnsupported = 89;

// `args` excludes the program name. Global options come before the command:
// `--defect NAME` (repeatable; defects.hpp) and `--list-defects`. Never throws.
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace tigress::client
