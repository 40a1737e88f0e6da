// tigress-bench: throughput and latency of the reference relay over TLS keep-alive, next to a
// bare cpp-httplib TLS endpoint with the same tuning that returns a constant body. The ratio
// says how much the relay's own work costs on top of the transport. Numbers are written to a
// JSON report; nothing here asserts on them.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "bench/bench_flags.hpp"
#include "bench/report_file.hpp"
#include "bench/bench_tls.hpp"
#include "bench/httplib_endpoint.hpp"
#include "bench/load_generator.hpp"
#include "bench/relay_operations.hpp"
#include "common/cli_flag_kinds.hpp"
#include "reference/relay/memory_store.hpp"
#include "reference/relay/redis_store.hpp"
#include "reference/relay/server.hpp"
#include "reference/relay/store_url.hpp"
#include "reference/tls/tls_material.hpp"

namespace {

using namespace tigress;

struct Options {
  int clients = 16;
  double seconds = 3.0;
  std::string out = "reports/bench/relay.json";
  std::string store = "memory";  // as tigress-relay --store
};

int usage_error(const std::string& message) { return cli::usage_error("tigress-bench", message); }

const cli::CommandHelp kHelp{
    "usage: tigress-bench [--clients N] [--seconds S] [--out FILE] [--store memory|redis://HOST:PORT[/DB]]",
    "Measures the reference relay's throughput and latency over TLS keep-alive, N clients for S\n"
    "seconds, next to a bare cpp-httplib TLS endpoint with the same tuning that returns a constant\n"
    "body, and writes the numbers as JSON.\n",
    ""};

cli::FlagTable bench_flag_table(Options& options) {
  cli::FlagTable table;
  bench::add_load_flags(table, options.clients, options.seconds,
                        "how long to measure each phase, in seconds (default 3)");
  table.add(cli::text_flag("--out", "FILE", "write the measurements as JSON to FILE (default reports/bench/relay.json)",
                           options.out));
  table.add(cli::text_flag("--store", "URL", "memory (default) or redis://HOST:PORT[/DB]", options.store));
  return table;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  const cli::FlagTable table = bench_flag_table(options);
  if (auto exit_status =
          cli::parse_or_exit(table, std::vector<std::string>(argv + 1, argv + argc), kHelp, "tigress-bench")) {
    return *exit_status;
  }

  auto tls_files = bench::BenchTls::create();
  if (!tls_files) return usage_error(tls_files.error().message());
  const tls::TlsMaterial* material = &(*tls_files)->material();
  const std::string& ca = (*tls_files)->ca_file();

  relay::ServerOptions server_options;  // the relay's own defaults: the tuning under test
  relay::SystemClock clock;
  auto redis = relay::parse_store_url(options.store);
  if (!redis) return usage_error(redis.error().message());
  std::unique_ptr<relay::Store> store;
  if (*redis) {
    relay::RedisStoreOptions store_options;
    store_options.endpoint = **redis;
    auto redis_store = std::make_unique<relay::RedisStore>(store_options, clock);
    if (auto reachable = redis_store->check_reachable(); !reachable) return usage_error(reachable.error().message());
    store = std::move(redis_store);
  } else {
    store = std::make_unique<relay::MemoryStore>();
  }
  relay::RelayConfig config;
  config.public_base_url = "";
  auto relay_server = relay::RelayServer::start(relay::Relay(config), clock, *store, *material, server_options);
  if (!relay_server) return usage_error(relay_server.error().message());
  const int relay_port = (*relay_server)->port();

  // The baseline: the same transport and tuning, a handler that does nothing.
  bench::HttplibEndpoint bare(*material, server_options, [](const httplib::Request&, httplib::Response& res) {
    res.set_content(bench::kConstantAnswer, "application/json");
  });
  const int bare_port = bare.port();

  std::vector<std::string> claims;
  for (int i = 0; i < options.clients; ++i) claims.push_back(bench::fresh_uuid());
  const bench::LoadTarget relay_target{relay_port, ca}, bare_target{bare_port, ca};
  // One mailbox per client for the read and update phases.
  std::vector<std::string> mailboxes;
  {
    auto setup = bench::connect(relay_target);
    for (const auto& claim : claims) {
      auto path = bench::create_mailbox(*setup, claim);
      if (!path) return usage_error("setup create failed");
      mailboxes.push_back(*path);
    }
  }
  auto outcome = [](bool ok) { return ok ? bench::StepOutcome::kOk : bench::StepOutcome::kFailed; };
  // The baseline gets the same request as create: same bytes in, a constant out.
  const bench::Step create = [&](httplib::SSLClient& c, int i) { return outcome(bench::post_create(c, claims[i])); };
  const bench::Step read = [&](httplib::SSLClient& c, int i) {
    return outcome(bench::post_read(c, claims[i], mailboxes[i]));
  };
  const bench::Step update = [&](httplib::SSLClient& c, int i) {
    return outcome(bench::put_update(c, claims[i], mailboxes[i]));
  };

  nlohmann::json results;
  std::cerr << "bench: " << options.clients << " clients, " << options.seconds << " s per phase\n";
  const bench::LoadResult baseline = bench::run_load({bare_target}, options.clients, options.seconds, create);
  results["baseline_constant_post"] = baseline.to_json();
  for (const auto& [name, step] :
       {std::pair{"create", &create}, std::pair{"read", &read}, std::pair{"update", &update}}) {
    const bench::LoadResult m = bench::run_load({relay_target}, options.clients, options.seconds, *step);
    results[name] = m.to_json();
    results[name]["ratio_to_baseline"] =
        baseline.requests_per_second() > 0 ? m.requests_per_second() / baseline.requests_per_second() : 0.0;
  }
  (*relay_server)->stop();

  nlohmann::json report = {{"schema", "tigress-bench/1"},
                           {"generated_at", codec::format_timestamp(clock.now())},
                           {"transport", "TLS 1.3 over loopback, keep-alive, one connection per client"},
                           {"clients", options.clients},
                           {"store", options.store.substr(0, options.store.find(':'))},
                           {"seconds_per_phase", options.seconds},
                           {"hardware_threads", std::thread::hardware_concurrency()},
                           {"note", "client and servers share this machine's cores; compare ratios, not absolutes"},
                           {"results", results}};
  if (!bench::write_report(options.out, report)) return usage_error("cannot write " + options.out);
  std::printf("%-24s %12s %10s %10s %8s\n", "phase", "req/s", "p50 ms", "p99 ms", "ratio");
  std::printf("%-24s %12.0f %10.3f %10.3f %8s\n", "baseline constant POST", baseline.requests_per_second(),
              baseline.p50_ms, baseline.p99_ms, "1.00");
  for (const char* name : {"create", "read", "update"}) {
    const auto& r = results[name];
    std::printf("%-24s %12.0f %10.3f %10.3f %8.2f\n", name, r["requests_per_second"].get<double>(),
                r["p50_ms"].get<double>(), r["p99_ms"].get<double>(), r["ratio_to_baseline"].get<double>());
  }
  std::printf("report: %s\n", options.out.c_str());
  return 0;
}
