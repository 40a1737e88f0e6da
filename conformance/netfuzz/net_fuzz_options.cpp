#include "conformance/netfuzz/net_fuzz_options.hpp"

#include "conformance/cli/shared_flags.hpp"
#include "harness/connection_flags.hpp"

namespace tigress::fuzz {
namespace {

const cli::CommandHelp kHelp{
    "usage: tigress-conform fuzz --target URL (--ca FILE | --insecure) [options]\n"
    "       tigress-netfuzz --target URL (--ca FILE | --insecure) [options]",
    "",
    std::string(harness::kConnectionEnvironmentUsage) +
        "\nExit status: 0 nothing found (replay: not reproduced), 1 findings (replay: reproduced),\n"
        "2 usage errors, 3 the target could not be tested (the preflight failed; nothing was sent).\n"};

struct NetFuzzFlags {
  NetFuzzOptions options;
  std::optional<std::uint64_t> seed;
  long long max_request_id_bytes = 256;
};

cli::FlagTable netfuzz_flag_table(NetFuzzFlags& f) {
  NetFuzzOptions& o = f.options;
  cli::FlagTable table;
  table.group("options:");
  conformance::add_target_flags(table, o.target, o.tls);
  table.add(cli::duration_flag("--duration", "D", "fuzz for D (3600, 90s, 30m, 2h; default 60s unless --sequences)",
                               o.duration_s, 30LL * 86400));
  table.add(cli::count_flag("--sequences", "N", "stop after N sequences (with --duration: whichever comes first)",
                            {1, 1'000'000'000, ""}, o.sequences));
  conformance::add_seed_flag(table, f.seed, "seed of the request stream (default: from the clock; printed)");
  table.add(cli::count_flag("--steps", "N", "most requests per sequence (default 12)", {1, 200, ""}, o.steps));
  table.add(cli::count_flag("--connections", "N",
                            "keep-alive connections in parallel (default 4), each running its own\n"
                            "sequences on its own mailboxes; connection 0 runs the seed's own stream,\n"
                            "connection k a stream derived from the seed and k; with --sequences,\n"
                            "each connection runs its share of them",
                            conformance::kJobsRange, o.connections));
  table.add(cli::count_flag("--timeout-ms", "N", "deadline of one exchange; no answer in time is a hang (default 5000)",
                            {50, 600'000, "ms"}, o.timeout_ms));
  table.add(cli::text_flag("--out", "DIR", "where reproducers are saved (default reports/netfuzz)", o.out_dir));
  table.add(cli::count_flag("--replay-budget", "N",
                            "replays per finding while minimising (default 40; 0: no minimising)", {0, 10'000, ""},
                            o.replay_budget));
  table.add(cli::count_flag("--max-findings", "N", "stop after N distinct findings (default 0: no limit)",
                            {0, 1'000'000, ""}, o.max_findings));
  table.add(cli::count_flag("--progress", "S", "seconds between live lines (default 5; 0: none)",
                            {0, 86'400, "seconds"}, o.progress_s));
  table.add(cli::count_flag("--max-request-id-bytes", "N",
                            "the target's Mailbox-Request-ID limit: longer IDs may be refused\n"
                            "without an echo (AMB-40; default 256, the reference relay's)",
                            {1, 1'000'000, ""}, f.max_request_id_bytes));
  table.add(cli::text_flag("--replay", "FILE", "send one saved reproducer (JSON) and report whether it reproduces",
                           o.replay_file));
  conformance::add_catalogue_flag(table, o.catalogue_path);
  conformance::add_report_flags(table, o.reports, /*with_expectations=*/false);
  harness::add_connection_flags(table, o.connection);
  return table;
}

Result<NetFuzzOptions> finish(NetFuzzFlags& f) {
  NetFuzzOptions& o = f.options;
  o.max_request_id_bytes = static_cast<std::size_t>(f.max_request_id_bytes);
  if (o.target.empty()) return make_error("--target is required");
  if (auto gateway = harness::check_connection_options(o.connection); !gateway) return gateway.error();
  if (auto trust = conformance::check_trust_flags(o.tls, true); !trust) return trust.error();
  if (o.duration_s == 0 && o.sequences == 0) o.duration_s = 60;
  o.reports.catalogue = o.catalogue_path;
  o.seed = f.seed ? *f.seed : conformance::seed_or_clock(std::nullopt) % 1'000'000'000'000ULL;
  return o;
}

}  // namespace

std::string netfuzz_help() {
  NetFuzzFlags flags;
  return cli::render_help(kHelp, netfuzz_flag_table(flags));
}

Result<NetFuzzCommandLine> parse_netfuzz_command_line(const std::vector<std::string>& args) {
  NetFuzzFlags f;
  auto help = netfuzz_flag_table(f).parse(args);
  if (!help) return help.error();
  NetFuzzCommandLine line;
  line.help = *help;
  if (line.help) return line;
  auto options = finish(f);
  if (!options) return options.error();
  line.options = std::move(*options);
  return line;
}

Result<NetFuzzOptions> parse_netfuzz_options(const std::vector<std::string>& args) {
  auto line = parse_netfuzz_command_line(args);
  if (!line) return line.error();
  if (line->help) return make_error("--help");
  return line->options;
}

}  // namespace tigress::fuzz
