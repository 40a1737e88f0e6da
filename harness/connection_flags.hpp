// The gateway flags of every mode that talks to a relay through the WireClient (relay, model,
// replay, fuzz), parsed once here: --header, --client-cert, --client-key, --resolve, --rate,
// --honour-retry-after. Numbers follow common/cli_numbers.hpp.
#pragma once

#include <string>
#include <vector>

#include "harness/connection_options.hpp"
#include "common/cli_flags.hpp"
#include "common/result.hpp"

namespace tigress::harness {

// Adds these flags, under their own heading, to a mode's table; they apply to `options`.
void add_connection_flags(cli::FlagTable& table, ConnectionOptions& options);
// The environment variables of these modes, for the end of their --help.
extern const char* const kConnectionEnvironmentUsage;

// One step of the table above: false when args[i] is none of these flags; true when it was
// applied to `options` (i then points at the value it consumed, if any); an error naming the
// flag and the bad value.
Result<bool> take_connection_flag(const std::vector<std::string>& args, std::size_t& i, ConnectionOptions& options);

// After the flags: the client certificate and key must be given together, be readable and
// match, so that a bad pair is a usage error at startup rather than on the first request.
Status check_connection_options(const ConnectionOptions& options);

// argv joined by spaces for the reports, with every --header value replaced by "<redacted>".
std::string command_line_for_reports(const std::vector<std::string>& argv);

}  // namespace tigress::harness
