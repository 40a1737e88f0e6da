#include "conformance/netfuzz/net_fuzz_options.hpp"

#include <chrono>

#include "harness/connection_flags.hpp"
#include "common/cli_numbers.hpp"

namespace tigress::fuzz {

const char* const kNetFuzzUsage =
    "usage: tigress-conform fuzz --target URL (--ca FILE | --insecure) [options]\n"
    "  --duration D        fuzz for D (3600, 90s, 30m, 2h; default 60s unless --sequences)\n"
    "  --sequences N       stop after N sequences (with --duration: whichever comes first)\n"
    "  --seed S            seed of the request stream (default: from the clock; printed)\n"
    "  --steps N           most requests per sequence (default 12)\n"
    "  --connections N     keep-alive connections in parallel (default 4, 1..256), each running\n"
    "                      its own sequences on its own mailboxes; connection 0 runs the seed's\n"
    "                      own stream, connection k a stream derived from the seed and k; with\n"
    "                      --sequences, each connection runs its share of them\n"
    "  --timeout-ms N      deadline of one exchange; no answer in time is a hang (default 5000)\n"
    "  --out DIR           where reproducers are saved (default reports/netfuzz)\n"
    "  --report-json FILE  summary: requests, requests/s, findings by class, seed, duration\n"
    "  --replay-budget N   replays per finding while minimising (default 40; 0: no minimising)\n"
    "  --max-findings N    stop after N distinct findings (default 0: no limit)\n"
    "  --progress S        seconds between live lines (default 5; 0: none)\n"
    "  --max-request-id-bytes N  the target's Mailbox-Request-ID limit: longer IDs may be refused\n"
    "                      without an echo (AMB-40; default 256, the reference relay's)\n"
    "  --replay FILE       send one saved reproducer (JSON) and report whether it reproduces\n"
    "Exit status: 0 nothing found (replay: not reproduced), 1 findings (replay: reproduced),\n"
    "2 usage errors, 3 the target could not be tested (the preflight failed; nothing was sent).\n";

Result<NetFuzzOptions> parse_netfuzz_options(const std::vector<std::string>& args) {
  NetFuzzOptions o;
  bool seed_given = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    auto connection_flag = harness::take_connection_flag(args, i, o.connection);
    if (!connection_flag) return connection_flag.error();
    if (*connection_flag) continue;
    if (flag == "--insecure") {
      o.tls.insecure = true;
      continue;
    }
    if (i + 1 >= args.size()) return make_error("missing value for " + flag);
    const std::string& value = args[++i];
    const auto count = cli::parse_count(value);
    const auto need_count = [&](long long min, long long max) -> Result<long long> {
      if (!count || *count < min || *count > max) {
        return make_error(flag + " takes a number from " + std::to_string(min) + " to " + std::to_string(max));
      }
      return *count;
    };
    Result<long long> number = 0LL;
    if (flag == "--target") {
      o.target = value;
    } else if (flag == "--ca") {
      o.tls.ca_file = value;
    } else if (flag == "--out") {
      o.out_dir = value;
    } else if (flag == "--report-json") {
      o.report_json = value;
    } else if (flag == "--replay") {
      o.replay_file = value;
    } else if (flag == "--duration") {
      const auto seconds = cli::parse_duration(value);
      if (!seconds || *seconds > 30LL * 86400) return make_error("--duration takes a duration such as 60, 90s, 30m, 2h");
      o.duration_s = *seconds;
    } else if (flag == "--seed") {
      if (!count) return make_error("--seed takes a non-negative number");
      o.seed = static_cast<std::uint64_t>(*count);
      seed_given = true;
    } else if (flag == "--sequences") {
      if (!(number = need_count(1, 1'000'000'000))) return number.error();
      o.sequences = *number;
    } else if (flag == "--steps") {
      if (!(number = need_count(1, 200))) return number.error();
      o.steps = static_cast<int>(*number);
    } else if (flag == "--connections") {
      if (!(number = need_count(1, cli::kMaxJobs))) return number.error();
      o.connections = static_cast<int>(*number);
    } else if (flag == "--timeout-ms") {
      if (!(number = need_count(50, 600'000))) return number.error();
      o.timeout_ms = static_cast<int>(*number);
    } else if (flag == "--replay-budget") {
      if (!(number = need_count(0, 10'000))) return number.error();
      o.replay_budget = static_cast<int>(*number);
    } else if (flag == "--max-findings") {
      if (!(number = need_count(0, 1'000'000))) return number.error();
      o.max_findings = static_cast<int>(*number);
    } else if (flag == "--max-request-id-bytes") {
      if (!(number = need_count(1, 1'000'000))) return number.error();
      o.max_request_id_bytes = static_cast<std::size_t>(*number);
    } else if (flag == "--progress") {
      if (!(number = need_count(0, 86'400))) return number.error();
      o.progress_s = static_cast<int>(*number);
    } else {
      return make_error("unknown flag " + flag);
    }
  }
  if (o.target.empty()) return make_error("--target is required");
  if (auto gateway = harness::check_connection_options(o.connection); !gateway) return gateway.error();
  if (o.tls.ca_file.empty() == !o.tls.insecure) return make_error("give exactly one of --ca FILE and --insecure");
  if (o.duration_s == 0 && o.sequences == 0) o.duration_s = 60;
  if (!seed_given) {
    o.seed = static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count()) % 1'000'000'000'000ULL;
  }
  return o;
}

}  // namespace tigress::fuzz
