// tigress-bench-http: the relay's HTTP layer under load. In one run, over TLS keep-alive on
// loopback, it measures
//   - a bare Boost.Beast endpoint (the relay's own HTTPS server, a constant answer) and the
//     relay on it (create, read, update): the relay's cost on top of its transport;
//   - a bare cpp-httplib endpoint and the relay core behind a cpp-httplib adapter with the
//     tuning the relay had on cpp-httplib: what the relay would do on that library.
// The figures and their ratios go to a JSON report; nothing here asserts on them.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "bench/bench_flags.hpp"
#include "bench/report_file.hpp"
#include "bench/bench_tls.hpp"
#include "bench/core_cost.hpp"
#include "bench/httplib_endpoint.hpp"
#include "bench/load_generator.hpp"
#include "bench/relay_operations.hpp"
#include "common/cli_flag_kinds.hpp"
#include "reference/codec/bodies.hpp"
#include "reference/relay/https_server.hpp"
#include "reference/relay/memory_store.hpp"
#include "reference/relay/server.hpp"
#include "reference/tls/tls_material.hpp"

namespace {

using namespace tigress;

struct Options {
  int clients = 16;
  double seconds = 3.0;
  int rounds = 3;             // each phase this many times, interleaved; the best round counts
  int core_requests = 20000;  // per operation, for the relay core's own cost
  std::string out = "reports/bench/http_layer.json";
};

// The relay core behind cpp-httplib, tuned as the relay was on it: the comparison point for
// "no slower than on cpp-httplib".
class HttplibRelay {
 public:
  HttplibRelay(const tls::TlsMaterial& material, relay::Relay& core, relay::Clock& clock, relay::Store& store,
               const relay::ServerOptions& tuning)
      : endpoint_(
            material, tuning,
            [&core, &clock, &store](const httplib::Request& in, httplib::Response& out) {
              relay::Request request;
              request.method = in.method;
              request.path = in.path;
              if (auto q = in.target.find('?'); q != std::string::npos) request.query = in.target.substr(q + 1);
              for (const auto& [name, value] : in.headers) {
                if (name != "REMOTE_ADDR" && name != "REMOTE_PORT" && name != "LOCAL_ADDR" && name != "LOCAL_PORT") {
                  request.headers.emplace(name, value);
                }
              }
              request.body = in.body;
              relay::Response response = core.handle(request, clock, store);
              out.status = response.status;
              for (const auto& [name, value] : response.headers) out.set_header(name, value);
              out.body = std::move(response.body);
            },
            core.config().max_body_bytes + 1) {}
  int port() const { return endpoint_.port(); }

 private:
  bench::HttplibEndpoint endpoint_;
};

int usage_error(const std::string& message) { return cli::usage_error("tigress-bench-http", message); }

const cli::CommandHelp kHelp{
    "usage: tigress-bench-http [--clients N] [--seconds S] [--rounds N] [--core-requests N] [--out FILE]",
    "Measures the relay's HTTP layer over TLS keep-alive: a bare Boost.Beast endpoint and the relay\n"
    "on it, a bare cpp-httplib endpoint and the relay core behind a cpp-httplib adapter; the best of\n"
    "--rounds interleaved rounds per phase, each operation next to the bare endpoint receiving its\n"
    "own requests; then the relay core's CPU cost per operation without transport; written as JSON.\n",
    ""};

cli::FlagTable bench_flag_table(Options& options) {
  cli::FlagTable table;
  bench::add_load_flags(table, options.clients, options.seconds,
                        "how long to measure each phase, in seconds (default 3)");
  table.add(cli::count_flag("--rounds", "N", "each phase this many times, interleaved (default 3)", {1, 20, ""},
                            options.rounds));
  table.add(cli::count_flag("--core-requests", "N",
                            "requests per operation timed on the relay core alone (default 20000)", {1, 10000000, ""},
                            options.core_requests));
  table.add(cli::text_flag(
      "--out", "FILE", "write the measurements as JSON to FILE (default reports/bench/http_layer.json)", options.out));
  return table;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  const cli::FlagTable table = bench_flag_table(options);
  if (auto exit_status =
          cli::parse_or_exit(table, std::vector<std::string>(argv + 1, argv + argc), kHelp, "tigress-bench-http")) {
    return *exit_status;
  }

  auto tls_files = bench::BenchTls::create();
  if (!tls_files) return usage_error(tls_files.error().message());
  const tls::TlsMaterial* material = &(*tls_files)->material();
  const std::string& ca = (*tls_files)->ca_file();

  const relay::ServerOptions tuning;  // the relay's defaults: the tuning under test
  relay::SystemClock clock;
  relay::MemoryStore store;
  relay::RelayConfig config;
  config.public_base_url = "";
  auto beast_relay = relay::RelayServer::start(relay::Relay(config), clock, store, *material, tuning);
  if (!beast_relay) return usage_error(beast_relay.error().message());
  config.public_base_url = "https://127.0.0.1";
  relay::Relay httplib_core(config);
  HttplibRelay httplib_relay(*material, httplib_core, clock, store, tuning);

  relay::HttpsServerOptions bare_options;
  bare_options.threads = tuning.worker_threads;
  bare_options.keep_alive_max_requests = tuning.keep_alive_max_requests;
  bare_options.io_timeout_seconds = tuning.io_timeout_seconds;
  auto bare_beast = relay::HttpsServer::listen(
      *material, bare_options,
      [](const relay::Request&) {
        relay::Response response;
        response.status = 200;
        response.set_header("Content-Type", "application/json");
        response.body = bench::kConstantAnswer;
        return response;
      },
      [](relay::HttpRefusal, const relay::Request&) {
        relay::Response response;
        response.status = 400;
        return response;
      });
  if (!bare_beast) return usage_error(bare_beast.error().message());
  (*bare_beast)->serve();

  bench::HttplibEndpoint bare_httplib(*material, tuning, [](const httplib::Request&, httplib::Response& res) {
    res.set_content(bench::kConstantAnswer, "application/json");
  });
  const int bare_httplib_port = bare_httplib.port();

  std::vector<std::string> claims;
  for (int i = 0; i < options.clients; ++i) claims.push_back(bench::fresh_uuid());
  // One mailbox per client and layer for the read and update phases.
  auto make_mailboxes = [&](int port) -> std::optional<std::vector<std::string>> {
    auto setup = bench::connect({port, ca});
    std::vector<std::string> out;
    for (const auto& claim : claims) {
      auto path = bench::create_mailbox(*setup, claim);
      if (!path) return std::nullopt;
      out.push_back(*path);
    }
    return out;
  };
  // The clients doing `operation` for --seconds against `port`.
  using Operation = std::function<bool(httplib::SSLClient&, const std::string& claim, const std::string& mailbox)>;
  auto measure = [&](int port, const std::vector<std::string>& mailboxes, const Operation& operation) {
    return bench::run_load({{port, ca}}, options.clients, options.seconds, [&](httplib::SSLClient& c, int i) {
      return operation(c, claims[i], mailboxes.empty() ? "" : mailboxes[i]) ? bench::StepOutcome::kOk
                                                                            : bench::StepOutcome::kFailed;
    });
  };
  const Operation create = [](httplib::SSLClient& c, const std::string& claim, const std::string&) {
    return bench::post_create(c, claim);
  };
  const Operation read = bench::post_read;
  const Operation update = bench::put_update;

  struct Layer {
    std::string name;
    int bare_port;
    int relay_port;
    std::vector<std::string> mailboxes;
  };
  std::vector<Layer> layers = {{"beast", (*bare_beast)->port(), (*beast_relay)->port(), {}},
                               {"cpp_httplib", bare_httplib_port, httplib_relay.port(), {}}};
  for (auto& layer : layers) {
    auto mailboxes = make_mailboxes(layer.relay_port);
    if (!mailboxes) return usage_error("setup create failed on " + layer.name);
    layer.mailboxes = *mailboxes;
  }
  const std::vector<std::pair<std::string, const Operation*>> operations = {
      {"create", &create}, {"read", &read}, {"update", &update}};

  std::cerr << "bench: " << options.clients << " clients, " << options.seconds << " s per phase, " << options.rounds
            << " rounds\n";
  std::map<std::string, std::map<std::string, double>> best;  // layer -> phase -> req/s
  // layer -> phase -> CPU per request of the server threads (the process but the clients)
  std::map<std::string, std::map<std::string, double>> least_server_cpu;
  auto keep = [&](const std::string& layer, const std::string& phase, const bench::LoadResult& result) {
    double& rps = best[layer][phase];
    rps = std::max(rps, result.requests_per_second());
    const double cpu = result.other_threads_cpu_microseconds_per_request();
    auto [kept, fresh] = least_server_cpu[layer].try_emplace(phase, cpu);
    if (!fresh) kept->second = std::min(kept->second, cpu);
  };
  // Each operation next to its bare endpoint receiving that operation's own requests, byte for
  // byte (the bare endpoint ignores them and answers a constant): the ratio is the relay's work
  // alone, on the same connection pattern and the same client cost.
  for (int round = 0; round < options.rounds; ++round) {
    for (const auto& layer : layers) {
      for (const auto& [name, step] : operations) {
        const std::vector<std::string> mailboxes = name == "create" ? std::vector<std::string>{} : layer.mailboxes;
        keep(layer.name, "bare_" + name, measure(layer.bare_port, mailboxes, *step));
        keep(layer.name, name, measure(layer.relay_port, mailboxes, *step));
      }
    }
  }
  (*bare_beast)->stop();
  (*beast_relay)->stop();
  const std::map<std::string, double> core_cost = bench::core_cpu_microseconds(options.core_requests);
  if (core_cost.empty()) return usage_error("the relay core did not answer its own requests with 200");

  nlohmann::json results;
  for (const auto& [layer, phases] : best) {
    for (const auto& [phase, rps] : phases) {
      results[layer][phase]["requests_per_second"] = rps;
      results[layer][phase]["server_cpu_microseconds_per_request"] = least_server_cpu[layer][phase];
    }
  }
  for (const auto& [name, step] : operations) {
    const double beast = best["beast"][name], httplib_rps = best["cpp_httplib"][name];
    results["beast"][name]["ratio_to_bare_beast"] = beast / best["beast"]["bare_" + name];
    results["beast"][name]["ratio_to_relay_on_cpp_httplib"] = beast / httplib_rps;
    for (const auto& layer : {"beast", "cpp_httplib"}) {
      results[layer][name]["server_cpu_microseconds_over_bare"] =
          least_server_cpu[layer][name] - least_server_cpu[layer]["bare_" + name];
    }
    results["cpp_httplib"][name]["ratio_to_bare_cpp_httplib"] = httplib_rps / best["cpp_httplib"]["bare_" + name];
  }
  nlohmann::json report = {
      {"schema", "tigress-bench-http/1"},
      {"generated_at", codec::format_timestamp(clock.now())},
      {"transport", "TLS 1.3 over loopback, keep-alive, one connection per client (cpp-httplib clients)"},
      {"clients", options.clients},
      {"seconds_per_phase", options.seconds},
      {"rounds", options.rounds},
      {"figure", "best round per phase; phases interleaved so drift hits every layer alike"},
      {"server_cpu_note",
       "server_cpu_microseconds_per_request: CPU of the whole process but the client threads, per "
       "answered request, the least of the rounds; steadier than the rate on a shared machine"},
      {"hardware_threads", std::thread::hardware_concurrency()},
      {"note", "clients and servers share this machine's cores; compare ratios, not absolutes"},
      {"results", results},
      {"core_cpu_microseconds_per_request", core_cost},
      {"core_requests_per_operation", options.core_requests},
      {"core_note", "Relay::handle on the in-memory store in one thread, no transport, this thread's CPU clock"}};
  if (!bench::write_report(options.out, report)) return usage_error("cannot write " + options.out);
  std::printf("%-12s %-10s %12s %12s %14s %14s %16s\n", "layer", "operation", "bare req/s", "relay req/s",
              "ratio to bare", "beast/httplib", "server us bare/relay");
  for (const auto& layer : {"beast", "cpp_httplib"}) {
    for (const auto& [name, step] : operations) {
      const double rps = best[layer][name], bare = best[layer]["bare_" + name];
      std::printf("%-12s %-10s %12.0f %12.0f %14.2f", layer, name.c_str(), bare, rps, rps / bare);
      if (std::string(layer) == "beast") {
        std::printf(" %14.2f", rps / best["cpp_httplib"][name]);
      } else {
        std::printf(" %14s", "");
      }
      std::printf(" %9.1f/%.1f\n", least_server_cpu[layer]["bare_" + name], least_server_cpu[layer][name]);
    }
  }
  std::printf("relay core alone, CPU per request:");
  for (const auto& [name, microseconds] : core_cost) std::printf(" %s %.1f us", name.c_str(), microseconds);
  std::printf("\nreport: %s\n", options.out.c_str());
  return 0;
}
