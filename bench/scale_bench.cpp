// tigress-bench-scale: how the reference relay scales. It starts its own redis-server on a
// free loopback port and measures
//   - throughput per operation over TLS keep-alive against tigress-relay with the in-memory
//     store, with the Redis store, and two tigress-relay sharing that Redis;
//   - memory per live mailbox: this process's resident memory with the in-memory store, the
//     server's used_memory with the Redis store, at growing mailbox counts;
//   - the expiry sweep's time across live x expired mailbox counts, both stores.
// The figures go to one JSON report with the machine's size and load; nothing asserts on them.
#include <sched.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "bench/bench_flags.hpp"
#include "bench/report_file.hpp"
#include "bench/scale_sections.hpp"
#include "common/cli_flag_kinds.hpp"
#include "conformance/interop/reference_relay.hpp"
#include "reference/relay/clock.hpp"
#include "reference/relay/redis_test_server.hpp"

namespace {

using namespace tigress;

struct Options {
  bench::ThroughputPlan throughput;
  std::vector<std::size_t> memory_store_counts = {10000, 100000, 1000000};
  std::vector<std::size_t> redis_store_counts = {10000, 100000};
  std::vector<std::size_t> sweep_live = {0, 10000, 100000};
  std::vector<std::size_t> sweep_expired = {0, 1000, 10000};
  int sweep_repeats = 3;
  std::string sections = "throughput,memory,sweep";
  std::string out = "reports/bench/scale.json";
};

const cli::CommandHelp kHelp{
    "usage: tigress-bench-scale [options]",
    "Measures the reference relay's throughput per operation with the in-memory store, the Redis\n"
    "store and two relays sharing one Redis; memory per live mailbox in both stores; and the expiry\n"
    "sweep's time as live and expired mailboxes grow. Starts its own redis-server (Debian package\n"
    "redis-server) on a free loopback port and writes the figures as JSON.\n",
    "Exit status: 0 report written, 1 a measurement failed, 2 usage error."};

cli::FlagTable flag_table(Options& options) {
  cli::FlagTable table;
  table.group("Throughput");
  bench::add_load_flags(table, options.throughput.clients, options.throughput.seconds,
                        "how long each operation is measured, in seconds (default 2)");
  table.add(cli::text_flag("--relay", "PATH", "the tigress-relay to start (default: the one beside this program)",
                           options.throughput.relay_binary, true));
  table.group("Sizes");
  table.add(bench::count_list_flag("--memory-store-mailboxes", "in-memory store: mailbox counts of the memory figure",
                                   10'000'000, options.memory_store_counts));
  table.add(bench::count_list_flag("--redis-store-mailboxes", "Redis store: mailbox counts of the memory figure",
                                   10'000'000, options.redis_store_counts));
  table.add(
      bench::count_list_flag("--sweep-live", "live mailbox counts of the sweep table", 10'000'000, options.sweep_live));
  table.add(bench::count_list_flag("--sweep-expired", "expired mailbox counts of the sweep table", 10'000'000,
                                   options.sweep_expired));
  table.add(cli::count_flag("--sweep-repeats", "N",
                            "times each cell of the sweep table is measured; the median counts (default 3)",
                            {1, 100, ""}, options.sweep_repeats));
  table.group("Report");
  table.add(cli::text_flag("--sections", "LIST", "which parts to measure (default throughput,memory,sweep)",
                           options.sections, true));
  table.add(cli::text_flag("--out", "FILE", "the JSON report (default reports/bench/scale.json)", options.out, true));
  return table;
}

std::vector<double> load_average() {
  std::ifstream file("/proc/loadavg");
  std::vector<double> values(3, 0.0);
  file >> values[0] >> values[1] >> values[2];
  return values;
}

int online_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) != 0) return static_cast<int>(std::thread::hardware_concurrency());
  return CPU_COUNT(&set);
}

// The report's figures as tables on stdout.
void print_summary(const nlohmann::json& report) {
  if (report.contains("throughput")) {
    std::printf("%-22s %-8s %12s %10s %10s %9s\n", "throughput", "op", "req/s", "p50 ms", "p99 ms", "failures");
    for (const auto& [name, deployment] : report["throughput"].items()) {
      if (!deployment.is_object()) continue;
      for (const char* op : {"create", "read", "update", "preview", "delete"}) {
        const auto& m = deployment["operations"][op];
        std::printf("%-22s %-8s %12.0f %10.3f %10.3f %9llu\n", name.c_str(), op, m["requests_per_second"].get<double>(),
                    m["p50_ms"].get<double>(), m["p99_ms"].get<double>(), m["failures"].get<unsigned long long>());
      }
    }
  }
  if (report.contains("memory")) {
    std::printf("%-22s %12s %16s %12s\n", "memory", "mailboxes", "delta bytes", "bytes/mbox");
    for (const char* store : {"memory_store", "redis_store"}) {
      for (const auto& row : report["memory"][store]["rows"]) {
        const auto delta = row.contains("rss_delta_bytes") ? row["rss_delta_bytes"] : row["used_memory_delta_bytes"];
        std::printf("%-22s %12zu %16lld %12.0f\n", store, row["mailboxes"].get<std::size_t>(), delta.get<long long>(),
                    row["bytes_per_mailbox"].get<double>());
      }
    }
  }
  if (report.contains("sweep")) {
    std::printf("%-22s %10s %10s %10s %12s\n", "sweep", "live", "expired", "removed", "sweep ms");
    for (const char* store : {"memory_store", "redis_store"}) {
      for (const auto& row : report["sweep"][store]) {
        std::printf("%-22s %10zu %10zu %10zu %12.3f\n", store, row["live"].get<std::size_t>(),
                    row["expired"].get<std::size_t>(), row["removed"].get<std::size_t>(),
                    row["sweep_ms"].get<double>());
      }
    }
  }
}

int failed(const std::string& section, const Error& error) {
  std::cerr << "tigress-bench-scale: " << section << ": " << error.message() << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  options.throughput.relay_binary = conformance::interop::sibling_binary("tigress-relay");
  const std::vector<std::string> args(argv + 1, argv + argc);
  const cli::FlagTable table = flag_table(options);
  if (auto exit_status = cli::parse_or_exit(table, args, kHelp, "tigress-bench-scale")) return *exit_status;
  const auto wants = [&](const std::string& section) {
    return ("," + options.sections + ",").find("," + section + ",") != std::string::npos;
  };
  for (std::size_t start = 0; start <= options.sections.size();) {
    const std::size_t comma = std::min(options.sections.find(',', start), options.sections.size());
    const std::string section = options.sections.substr(start, comma - start);
    if (section != "throughput" && section != "memory" && section != "sweep") {
      return cli::usage_error("tigress-bench-scale", "--sections takes throughput, memory and sweep, comma-separated");
    }
    start = comma + 1;
  }

  std::string command = "tigress-bench-scale";
  for (const auto& arg : args) command += " " + arg;
  relay::SystemClock clock;
  nlohmann::json report = {{"schema", "tigress-bench-scale/1"},
                           {"generated_at", codec::format_timestamp(clock.now())},
                           {"command", command},
                           {"nproc", online_cpus()},
                           {"hardware_threads", std::thread::hardware_concurrency()},
                           {"load_average_at_start", load_average()},
                           {"parameters",
                            {{"clients", options.throughput.clients},
                             {"seconds_per_operation", options.throughput.seconds},
                             {"memory_store_mailboxes", options.memory_store_counts},
                             {"redis_store_mailboxes", options.redis_store_counts},
                             {"sweep_live", options.sweep_live},
                             {"sweep_expired", options.sweep_expired},
                             {"sweep_repeats", options.sweep_repeats},
                             {"sections", options.sections}}},
                           {"note", "the load generator, the relays and redis-server share this machine's cores"}};

  auto redis = relay::testing::RedisTestServer::start();
  if (!redis) return failed("redis-server", redis.error());
  report["redis_server"] = relay::testing::RedisTestServer::program() + " --save '' --appendonly no";
  if (wants("memory")) {
    std::cerr << "memory: in-memory store " << bench::join_counts(options.memory_store_counts) << ", Redis store "
              << bench::join_counts(options.redis_store_counts) << " mailboxes\n";
    auto memory = bench::measure_memory(options.memory_store_counts, options.redis_store_counts, (*redis)->endpoint());
    if (!memory) return failed("memory", memory.error());
    report["memory"] = *memory;
  }
  if (wants("sweep")) {
    std::cerr << "sweep: live " << bench::join_counts(options.sweep_live) << " x expired "
              << bench::join_counts(options.sweep_expired) << "\n";
    auto sweep =
        bench::measure_sweep(options.sweep_live, options.sweep_expired, options.sweep_repeats, (*redis)->endpoint());
    if (!sweep) return failed("sweep", sweep.error());
    report["sweep"] = *sweep;
  }
  if (wants("throughput")) {
    options.throughput.redis = (*redis)->endpoint();
    std::cerr << "throughput: " << options.throughput.clients << " clients, " << options.throughput.seconds
              << " s per operation\n";
    auto throughput = bench::measure_throughput(options.throughput);
    if (!throughput) return failed("throughput", throughput.error());
    report["throughput"] = *throughput;
  }
  report["load_average_at_end"] = load_average();

  if (!bench::write_report(options.out, report)) return failed("report", make_error("cannot write " + options.out));
  print_summary(report);
  std::printf("report: %s\n", options.out.c_str());
  return 0;
}
