// The flags several tigress-conform modes take, each defined here once with its one range; a
// mode's table adds the ones it takes (its own wording of what the value means for it, the
// spelling and the range from here).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/cli_flag_kinds.hpp"
#include "common/cli_numbers.hpp"
#include "conformance/framework/expiry_grace.hpp"
#include "conformance/framework/runner.hpp"
#include "harness/wire_client.hpp"

namespace tigress::conformance {

// The one range of each shared number.
inline const cli::Range kTimeoutRange{1, 3600, "seconds"};
inline const cli::Range kJobsRange{1, cli::kMaxJobs, ""};
inline const cli::Range kExpiryGraceRange{0, kMaxExpiryGraceSeconds, "seconds"};

// --target URL, --ca FILE, --insecure.
void add_target_flags(cli::FlagTable& table, std::string& target_url, harness::TlsOptions& tls,
                      std::string target_help = "the relay under test, https://host[:port][/prefix]");
// After parsing: --ca and --insecure exclude each other; with `one_required`, one must be given.
Status check_trust_flags(const harness::TlsOptions& tls, bool one_required);

void add_timeout_flag(cli::FlagTable& table, int& seconds, std::string help);
void add_jobs_flag(cli::FlagTable& table, int& jobs, std::string help);
void add_seed_flag(cli::FlagTable& table, std::optional<std::uint64_t>& seed, std::string help);
void add_expiry_grace_flag(cli::FlagTable& table, int& seconds, std::string help);
void add_max_ttl_flag(cli::FlagTable& table, long long& seconds, std::string help);
void add_catalogue_flag(cli::FlagTable& table, std::string& path);
void add_quiet_flag(cli::FlagTable& table, bool& quiet);

// The case modes' selection: --list, --id, --section, --category, --level (take_filter_flag).
void add_case_selection_flags(cli::FlagTable& table, CaseFilter& filter, bool& list);

// The seed a run uses when none was given: from the clock, printed by the mode.
std::uint64_t seed_or_clock(const std::optional<std::uint64_t>& seed);

}  // namespace tigress::conformance
