#include "conformance/cli/shared_flags.hpp"

#include <chrono>

#include "conformance/framework/catalogue.hpp"

namespace tigress::conformance {

void add_target_flags(cli::FlagTable& table, std::string& target_url, harness::TlsOptions& tls,
                      std::string target_help) {
  table.add(cli::text_flag("--target", "URL", std::move(target_help), target_url));
  table.add(cli::text_flag("--ca", "FILE", "trust this PEM bundle for the target's certificate", tls.ca_file));
  table.add(cli::switch_flag("--insecure", "do not verify the target's certificate at all", tls.insecure));
}

Status check_trust_flags(const harness::TlsOptions& tls, bool one_required) {
  if (!tls.ca_file.empty() && tls.insecure) return make_error("give --ca or --insecure, not both");
  if (one_required && tls.ca_file.empty() && !tls.insecure) {
    return make_error("give exactly one of --ca FILE and --insecure");
  }
  return {};
}

void add_timeout_flag(cli::FlagTable& table, int& seconds, std::string help) {
  table.add(cli::count_flag("--timeout", "SECONDS", std::move(help), kTimeoutRange, seconds));
}

void add_jobs_flag(cli::FlagTable& table, int& jobs, std::string help) {
  table.add(cli::count_flag("--jobs", "N", std::move(help), kJobsRange, jobs));
}

void add_seed_flag(cli::FlagTable& table, std::optional<std::uint64_t>& seed, std::string help) {
  table.add(cli::seed_flag("--seed", std::move(help), seed));
}

void add_expiry_grace_flag(cli::FlagTable& table, int& seconds, std::string help) {
  table.add(cli::count_flag("--expiry-grace", "SEC", std::move(help), kExpiryGraceRange, seconds));
}

void add_max_ttl_flag(cli::FlagTable& table, long long& seconds, std::string help) {
  table.add(cli::duration_flag("--max-ttl", "DURATION", std::move(help), seconds));
}

void add_catalogue_flag(cli::FlagTable& table, std::string& path) {
  table.add(cli::text_flag("--catalogue", "FILE",
                           "requirement catalogue (default: the suite's conformance/requirements.json)", path));
}

void add_quiet_flag(cli::FlagTable& table, bool& quiet) {
  table.add(cli::switch_flag("--quiet", "no progress lines", quiet));
}

void add_case_selection_flags(cli::FlagTable& table, CaseFilter& filter, bool& list) {
  table.add(cli::switch_flag("--list", "list the selected cases and exit", list));
  const auto filter_flag = [&filter](std::string name, std::string value_name, std::string help) {
    return cli::Flag{name, std::move(value_name), std::move(help), [&filter, name](const std::string& value) -> Status {
                       auto taken = take_filter_flag(name, value, filter);
                       if (!taken) return taken.error();
                       return {};
                     }};
  };
  table.add(filter_flag("--id", "GLOB", "select case IDs matching GLOB ('*', '?'); repeatable"));
  table.add(filter_flag("--section", "S", "select draft section S (and its subsections); repeatable"));
  table.add(filter_flag("--category", "C",
                        "message-format | anti-replay | expiry | confidentiality | robustness;\nrepeatable"));
  table.add(filter_flag("--level", "L", "MUST | SHOULD | MAY | ADVISORY; repeatable"));
}

std::uint64_t seed_or_clock(const std::optional<std::uint64_t>& seed) {
  if (seed) return *seed;
  return static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count() & 0x7FFFFFFFFFFFLL);
}

}  // namespace tigress::conformance
