#include "conformance/cli/shared_flags.hpp"

#include <chrono>

#include "conformance/framework/catalogue.hpp"

namespace tigress::conformance {

namespace {

const char* const kTrustHelp = "do not verify the target's certificate at all";

}  // namespace

void add_target_flags(cli::FlagTable& table, std::string& target_url, harness::TlsOptions& tls,
                      std::string target_help) {
  table.add(cli::text_flag("--target", "URL", std::move(target_help), target_url));
  table.add(cli::text_flag("--ca", "FILE", "trust this PEM bundle for the target's certificate", tls.ca_file));
  table.add(cli::switch_flag("--insecure", kTrustHelp, tls.insecure));
}

void add_target_flags(cli::FlagTable& table, std::vector<std::string>& target_urls, std::vector<std::string>& ca_files,
                      harness::TlsOptions& tls) {
  table.add(cli::list_flag("--target", "URL",
                           "the relay under test, https://host[:port][/prefix]; repeat it for each\n"
                           "instance of one deployment: requests alternate between them",
                           target_urls));
  table.add(cli::list_flag("--ca", "FILE",
                           "trust this PEM bundle for the target's certificate; with several\n"
                           "targets once for all of them, or once per --target (in their order)",
                           ca_files));
  table.add(cli::switch_flag("--insecure", kTrustHelp, tls.insecure));
}

Result<std::vector<harness::TargetInstance>> parse_targets(const std::vector<std::string>& target_urls,
                                                           const std::vector<std::string>& ca_files,
                                                           const harness::TlsOptions& tls) {
  if (!ca_files.empty() && tls.insecure) return make_error("give --ca or --insecure, not both");
  if (ca_files.size() > 1 && ca_files.size() != target_urls.size()) {
    return make_error("give --ca once (for every target) or once per --target (" + std::to_string(target_urls.size()) +
                      "), not " + std::to_string(ca_files.size()) + " times");
  }
  std::vector<harness::TargetInstance> instances;
  for (std::size_t i = 0; i < target_urls.size(); ++i) {
    const std::string& url = target_urls[i];
    auto target = harness::parse_target(url);
    if (!target) return make_error("--target " + url + ": " + target.error().message());
    for (const auto& earlier : instances) {
      if (earlier.target.url() == target->url()) return make_error("--target " + target->url() + " is given twice");
    }
    if (!instances.empty() && target->base_path != instances.front().target.base_path) {
      return make_error("every --target must have the same path prefix (one deployment): " +
                        instances.front().target.url() + " and " + target->url() + " differ");
    }
    harness::TlsOptions trust = tls;
    if (!ca_files.empty()) trust.ca_file = ca_files.size() == 1 ? ca_files.front() : ca_files[i];
    if (trust.ca_file.empty() && !ca_files.empty()) return make_error("--ca needs a value (see --help)");
    instances.push_back({*target, trust});
  }
  return instances;
}

std::vector<std::string> urls_of(const std::vector<harness::TargetInstance>& instances) {
  std::vector<std::string> urls;
  for (const auto& instance : instances) urls.push_back(instance.target.url());
  return urls;
}

std::string describe_targets(const std::vector<harness::TargetInstance>& instances) {
  std::string out;
  for (const auto& url : urls_of(instances)) out += (out.empty() ? "" : ", ") + url;
  return out;
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
