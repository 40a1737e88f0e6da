// tigress-client's commands, callable in-process (the tests drive them exactly as main does).
//
// Output contract: `out` carries only the command's result (the share URL for `share`, the
// decrypted Provisioning Information for `receive`/`read` without --out); `err` carries short
// progress lines and, on failure, exactly one line "tigress-client: <what failed>". No secret
// ever reaches `err`; the only secret on `out` is the share URL's fragment.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace tigress::client {

inline constexpr int kExitSuccess = 0;
inline constexpr int kExitFailure = 1;  // protocol, relay, TLS, crypto or file failure
inline constexpr int kExitUsage = 2;    // bad invocation

// `args` excludes the program name. Never throws.
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace tigress::client
