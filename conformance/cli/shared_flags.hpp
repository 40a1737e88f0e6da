// The flags several tigress-conform modes take, each defined here once with its one range; a
// mode's table adds the ones it takes (its own wording of what the value means for it, the
// spelling and the range from here).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/cli_flag_kinds.hpp"
#include "common/cli_numbers.hpp"
#include "conformance/framework/expiry_grace.hpp"
#include "conformance/framework/runner.hpp"
#include "harness/target_instance.hpp"
#include "harness/wire_client.hpp"

namespace tigress::conformance {

// The one range of each shared number.
inline const cli::Range kTimeoutRange{1, 3600, "seconds"};
inline const cli::Range kJobsRange{1, cli::kMaxJobs, ""};
inline const cli::Range kExpiryGraceRange{0, kMaxExpiryGraceSeconds, "seconds"};

// --target URL, --ca FILE, --insecure.
void add_target_flags(cli::FlagTable& table, std::string& target_url, harness::TlsOptions& tls,
                      std::string target_help = "the relay under test, https://host[:port][/prefix]");
// The same with a repeatable --target (one deployment reachable at several addresses, instances
// behind a load balancer) and a repeatable --ca: given once, it is trusted for every target;
// given once per --target, the i-th is the i-th target's. (One bundle of several CAs trusted for
// every target also works, but only while the CAs' subject names differ: OpenSSL looks an
// issuer up by name, and self-signed instances commonly share one, e.g. CN=localhost.)
void add_target_flags(cli::FlagTable& table, std::vector<std::string>& target_urls, std::vector<std::string>& ca_files,
                      harness::TlsOptions& tls);
// After parsing the repeatable flags: every instance in the order given, its URL parsed and its
// TLS options `tls` with its CA. One deployment has one API path, so every target must have the
// same path prefix; no URL may be given twice; --ca once or once per --target, not with --insecure.
Result<std::vector<harness::TargetInstance>> parse_targets(const std::vector<std::string>& target_urls,
                                                           const std::vector<std::string>& ca_files,
                                                           const harness::TlsOptions& tls);
// Each instance's URL, in order (what the reports list).
std::vector<std::string> urls_of(const std::vector<harness::TargetInstance>& instances);
// "https://a:1" or "https://a:1, https://b:2": the instances as a console line shows them.
std::string describe_targets(const std::vector<harness::TargetInstance>& instances);
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
