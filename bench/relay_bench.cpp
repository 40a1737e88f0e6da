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

#include "common/cli_flag_kinds.hpp"
#include "reference/codec/uuid.hpp"
#include "reference/relay/memory_store.hpp"
#include "reference/relay/redis_store.hpp"
#include "reference/relay/server.hpp"
#include "reference/relay/store_url.hpp"
#include "reference/tls/tls_material.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using namespace tigress;

struct Options {
  int clients = 16;
  double seconds = 3.0;
  std::string out = "reports/bench/relay.json";
  std::string store = "memory";  // as tigress-relay --store
};

struct Measurement {
  std::uint64_t requests = 0;
  std::uint64_t failures = 0;
  double seconds = 0;
  double p50_ms = 0, p99_ms = 0;

  nlohmann::json to_json() const {
    return {{"requests", requests}, {"failures", failures}, {"seconds", seconds},
            {"requests_per_second", seconds > 0 ? requests / seconds : 0.0},
            {"p50_ms", p50_ms}, {"p99_ms", p99_ms}};
  }
  double rps() const { return seconds > 0 ? requests / seconds : 0.0; }
};

std::string uuid() { return codec::generate_uuid_v4()->to_string(); }

const std::string kCreateBody = R"({"payload":{"type":"AEAD_AES_128_GCM","data":")" +
                                std::string(344, 'A') +
                                R"("},"displayInformation":{"title":"Car Key","description":"bench",)"
                                R"("imageURL":"https://example.com/i.png"},)"
                                R"("mailboxConfiguration":{"accessRights":"RWD","expiration":")" +
                                codec::format_timestamp(std::chrono::duration_cast<std::chrono::seconds>(
                                    std::chrono::system_clock::now().time_since_epoch()).count() + 3600) +
                                R"("}})";
const std::string kUpdateBody =
    R"({"payload":{"type":"AEAD_AES_128_GCM","data":")" + std::string(344, 'B') + R"("}})";

// One request of a client; returns false on a failed or unexpected answer.
using Step = std::function<bool(httplib::SSLClient&, const std::string& claim, const std::string& mailbox)>;

Measurement run_phase(int port, const std::string& ca, const Options& options,
                      const std::vector<std::string>& claims, const std::vector<std::string>& mailboxes,
                      const Step& step) {
  std::atomic<bool> stop{false};
  std::vector<std::vector<double>> latencies(options.clients);
  std::vector<std::uint64_t> failures(options.clients, 0);
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (int i = 0; i < options.clients; ++i) {
    threads.emplace_back([&, i] {
      httplib::SSLClient client("127.0.0.1", port);
      client.set_ca_cert_path(ca.c_str());
      client.enable_server_certificate_verification(true);
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);
      client.set_read_timeout(10, 0);
      latencies[i].reserve(100000);
      while (!stop.load(std::memory_order_relaxed)) {
        const auto t0 = Clock::now();
        const bool ok = step(client, claims[i], mailboxes.empty() ? "" : mailboxes[i]);
        const auto t1 = Clock::now();
        if (ok) {
          latencies[i].push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        } else {
          ++failures[i];
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(options.seconds));
  stop = true;
  for (auto& t : threads) t.join();
  Measurement m;
  m.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (int i = 0; i < options.clients; ++i) {
    all.insert(all.end(), latencies[i].begin(), latencies[i].end());
    m.failures += failures[i];
  }
  m.requests = all.size();
  if (!all.empty()) {
    auto pick = [&](double q) {
      auto index = static_cast<std::size_t>(q * static_cast<double>(all.size() - 1));
      std::nth_element(all.begin(), all.begin() + static_cast<long>(index), all.end());
      return all[index];
    };
    m.p50_ms = pick(0.50);
    m.p99_ms = pick(0.99);
  }
  return m;
}

httplib::Headers tigress_headers(const std::string& claim) {
  return {{"Mailbox-Device-Claim", claim}, {"Mailbox-Request-ID", uuid()}};
}

int usage_error(const std::string& message) { return cli::usage_error("tigress-bench", message); }

const cli::CommandHelp kHelp{
    "usage: tigress-bench [--clients N] [--seconds S] [--out FILE] [--store memory|redis://HOST:PORT[/DB]]",
    "Measures the reference relay's throughput and latency over TLS keep-alive, N clients for S\n"
    "seconds, next to a bare cpp-httplib TLS endpoint with the same tuning that returns a constant\n"
    "body, and writes the numbers as JSON.\n",
    ""};

cli::FlagTable bench_flag_table(Options& options) {
  cli::FlagTable table;
  table.add(cli::count_flag("--clients", "N", "concurrent clients (default 16)", {1, 512, ""}, options.clients));
  table.add({"--seconds", "S", "how long to measure, in seconds (above 0, at most 600; default 3)",
             [&options](const std::string& value) -> Status {
               char* end = nullptr;
               const double seconds = std::strtod(value.c_str(), &end);
               if (value.empty() || end != value.c_str() + value.size() || !(seconds > 0 && seconds <= 600)) {
                 return make_error("takes a number of seconds above 0, at most 600");
               }
               options.seconds = seconds;
               return {};
             }});
  table.add(cli::text_flag("--out", "FILE", "write the measurements as JSON to FILE (default reports/bench/relay.json)", options.out));
  table.add(cli::text_flag("--store", "URL", "memory (default) or redis://HOST:PORT[/DB]", options.store));
  return table;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  const cli::FlagTable table = bench_flag_table(options);
  auto help = table.parse(std::vector<std::string>(argv + 1, argv + argc));
  if (!help) return usage_error(help.error().message());
  if (*help) {
    std::cout << cli::render_help(kHelp, table);
    return 0;
  }

  auto material = tls::generate_self_signed({"localhost"}, {"127.0.0.1"}, 1);
  if (!material) return usage_error(material.error().message());
  const std::string ca = std::filesystem::temp_directory_path() / ("tigress-bench-ca-" + uuid() + ".pem");
  std::ofstream(ca) << material->cert_pem;

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
  httplib::SSLServer bare([&](SSL_CTX& ctx) { return tls::configure_server_context(ctx, *material).ok(); });
  const std::size_t threads = server_options.worker_threads;
  bare.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  bare.set_tcp_nodelay(true);
  bare.set_keep_alive_max_count(server_options.keep_alive_max_requests);
  bare.set_keep_alive_timeout(server_options.io_timeout_seconds);
  const std::string constant = R"({"isPushNotificationSupported":false})";
  bare.Post(".*", [&](const httplib::Request&, httplib::Response& res) { res.set_content(constant, "application/json"); });
  const int bare_port = bare.bind_to_any_port("127.0.0.1");
  std::thread bare_thread([&] { bare.listen_after_bind(); });
  while (!bare.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  std::vector<std::string> claims;
  for (int i = 0; i < options.clients; ++i) claims.push_back(uuid());
  // One mailbox per client for the read and update phases.
  std::vector<std::string> mailboxes;
  {
    httplib::SSLClient setup("127.0.0.1", relay_port);
    setup.set_ca_cert_path(ca.c_str());
    setup.enable_server_certificate_verification(true);
    for (const auto& claim : claims) {
      auto res = setup.Post("/v1/m", tigress_headers(claim), kCreateBody, "application/json");
      if (!res || res->status != 200) return usage_error("setup create failed");
      const std::string link = nlohmann::json::parse(res->body)["urlLink"];
      mailboxes.push_back(link.substr(link.find("/v1/m/")));
    }
  }

  auto post_create = [](httplib::SSLClient& c, const std::string& claim, const std::string&) {
    auto res = c.Post("/v1/m", tigress_headers(claim), kCreateBody, "application/json");
    return res && res->status == 200;
  };
  auto post_read = [](httplib::SSLClient& c, const std::string& claim, const std::string& path) {
    auto res = c.Post(path, {{"Mailbox-Device-Claim", claim}}, "", "");
    return res && res->status == 200;
  };
  auto put_update = [](httplib::SSLClient& c, const std::string& claim, const std::string& path) {
    auto res = c.Put(path, tigress_headers(claim), kUpdateBody, "application/json");
    return res && res->status == 200;
  };
  auto post_constant = [](httplib::SSLClient& c, const std::string& claim, const std::string&) {
    auto res = c.Post("/v1/m", tigress_headers(claim), kCreateBody, "application/json");
    return res && res->status == 200;
  };

  nlohmann::json results;
  std::cerr << "bench: " << options.clients << " clients, " << options.seconds << " s per phase\n";
  Measurement baseline = run_phase(bare_port, ca, options, claims, {}, post_constant);
  results["baseline_constant_post"] = baseline.to_json();
  for (auto [name, step, needs_mailbox] :
       {std::tuple{"create", Step(post_create), false}, std::tuple{"read", Step(post_read), true},
        std::tuple{"update", Step(put_update), true}}) {
    Measurement m = run_phase(relay_port, ca, options, claims, needs_mailbox ? mailboxes : std::vector<std::string>{}, step);
    results[name] = m.to_json();
    results[name]["ratio_to_baseline"] = baseline.rps() > 0 ? m.rps() / baseline.rps() : 0.0;
  }
  (*relay_server)->stop();
  bare.stop();
  bare_thread.join();
  std::filesystem::remove(ca);

  nlohmann::json report = {
      {"schema", "tigress-bench/1"},
      {"generated_at", codec::format_timestamp(clock.now())},
      {"transport", "TLS 1.3 over loopback, keep-alive, one connection per client"},
      {"clients", options.clients},
      {"store", options.store.substr(0, options.store.find(':'))},
      {"seconds_per_phase", options.seconds},
      {"hardware_threads", std::thread::hardware_concurrency()},
      {"note", "client and servers share this machine's cores; compare ratios, not absolutes"},
      {"results", results}};
  std::filesystem::create_directories(std::filesystem::path(options.out).parent_path());
  std::ofstream(options.out) << report.dump(2) << "\n";
  std::printf("%-24s %12s %10s %10s %8s\n", "phase", "req/s", "p50 ms", "p99 ms", "ratio");
  std::printf("%-24s %12.0f %10.3f %10.3f %8s\n", "baseline constant POST", baseline.rps(), baseline.p50_ms, baseline.p99_ms, "1.00");
  for (const char* name : {"create", "read", "update"}) {
    const auto& r = results[name];
    std::printf("%-24s %12.0f %10.3f %10.3f %8.2f\n", name, r["requests_per_second"].get<double>(),
                r["p50_ms"].get<double>(), r["p99_ms"].get<double>(), r["ratio_to_baseline"].get<double>());
  }
  std::printf("report: %s\n", options.out.c_str());
  return 0;
}
