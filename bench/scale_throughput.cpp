#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>

#include "bench/load_generator.hpp"
#include "bench/relay_operations.hpp"
#include "bench/scale_sections.hpp"
#include "common/cli_numbers.hpp"
#include "conformance/interop/reference_relay.hpp"

namespace tigress::bench {
namespace {

using conformance::interop::ReferenceRelay;

struct Deployment {
  std::string name;
  std::string store;  // "memory" or the Redis URL
  int instances = 1;
};

Result<int> port_of(const std::string& url) {
  const auto colon = url.rfind(':');
  const auto port = colon == std::string::npos ? std::nullopt : cli::parse_count(url.substr(colon + 1));
  if (!port || *port > 65535) return make_error("no port in " + url);
  return static_cast<int>(*port);
}

// The five operations against `relays`, in the order that keeps each one's precondition: the
// mailboxes create makes are read, updated and previewed, then deleted. Client i works on the
// mailboxes of client i+1, made through the other relay when there are two.
nlohmann::json run_operations(const std::vector<LoadTarget>& relays, const ThroughputPlan& plan) {
  const int clients = plan.clients;
  std::vector<std::string> claims;
  for (int i = 0; i < clients; ++i) claims.push_back(fresh_uuid());
  std::vector<std::deque<std::string>> made(clients);  // by the client that made them
  auto owner = [clients](int client) { return (client + 1) % clients; };

  nlohmann::json operations;
  operations["create"] = run_load(relays, clients, plan.seconds, [&](httplib::SSLClient& relay, int i) {
                           auto path = create_mailbox(relay, claims[i]);
                           if (!path) return StepOutcome::kFailed;
                           made[i].push_back(*path);
                           return StepOutcome::kOk;
                         }).to_json();
  // The one mailbox each client reads, updates and previews (made now if create made none).
  std::vector<std::string> target(clients);
  for (int i = 0; i < clients; ++i) {
    const int o = owner(i);
    if (made[o].empty()) {
      auto relay = connect(relays[static_cast<std::size_t>(o) % relays.size()]);
      if (auto path = create_mailbox(*relay, claims[o])) made[o].push_back(*path);
    }
    target[i] = made[o].empty() ? "/v1/m/00000000-0000-4000-8000-000000000000" : made[o].front();
  }
  operations["read"] = run_load(relays, clients, plan.seconds, [&](httplib::SSLClient& relay, int i) {
                         return post_read(relay, claims[owner(i)], target[i]) ? StepOutcome::kOk : StepOutcome::kFailed;
                       }).to_json();
  operations["update"] =
      run_load(relays, clients, plan.seconds, [&](httplib::SSLClient& relay, int i) {
        return put_update(relay, claims[owner(i)], target[i]) ? StepOutcome::kOk : StepOutcome::kFailed;
      }).to_json();
  operations["preview"] = run_load(relays, clients, plan.seconds, [&](httplib::SSLClient& relay, int i) {
                            return get_preview(relay, target[i]) ? StepOutcome::kOk : StepOutcome::kFailed;
                          }).to_json();
  operations["delete"] =
      run_load(relays, clients, plan.seconds, [&](httplib::SSLClient& relay, int i) {
        auto& mine = made[owner(i)];
        if (mine.empty()) return StepOutcome::kExhausted;
        const std::string path = mine.back();
        mine.pop_back();
        return delete_mailbox(relay, claims[owner(i)], path) ? StepOutcome::kOk : StepOutcome::kFailed;
      }).to_json();
  operations["delete"]["note"] = "each client deletes what create made; it stops early when none are left";
  return operations;
}

}  // namespace

Result<nlohmann::json> measure_throughput(const ThroughputPlan& plan) {
  const std::string redis_url = "redis://" + plan.redis.host + ":" + std::to_string(plan.redis.port);
  const std::vector<Deployment> deployments = {{"memory_store_1_relay", "memory", 1},
                                               {"redis_store_1_relay", redis_url, 1},
                                               {"redis_store_2_relays", redis_url, 2}};
  const auto work = std::filesystem::temp_directory_path() / ("tigress-bench-scale-" + fresh_uuid());
  std::filesystem::create_directories(work);
  nlohmann::json result;
  for (const auto& deployment : deployments) {
    if (deployment.store != "memory") {
      if (auto flushed = flush_redis(plan.redis); !flushed) return flushed.error();
    }
    std::vector<ReferenceRelay> relays;
    std::vector<LoadTarget> targets;
    std::vector<std::string> args = {"--threads", "64"};  // the relay's default, over the interop's 8
    if (deployment.store != "memory") args.insert(args.end(), {"--store", deployment.store});
    for (int n = 0; n < deployment.instances; ++n) {
      const std::string ca = (work / (deployment.name + "-" + std::to_string(n) + ".pem")).string();
      auto started = ReferenceRelay::start(plan.relay_binary, args, ca);
      if (!started) {
        std::filesystem::remove_all(work);
        return make_error(deployment.name + ": " + started.error().message());
      }
      auto port = port_of(started->url());
      if (!port) {
        std::filesystem::remove_all(work);
        return port.error();
      }
      targets.push_back({*port, ca});
      relays.push_back(std::move(*started));
    }
    result[deployment.name] = {
        {"store", deployment.store == "memory" ? "memory" : "redis"},
        {"relays", deployment.instances},
        {"relay_command", plan.relay_binary + " --listen 127.0.0.1:0 --self-signed --threads 64" +
                              (deployment.store == "memory" ? "" : " --store " + deployment.store)},
        {"operations", run_operations(targets, plan)}};
  }
  std::filesystem::remove_all(work);
  result["clients"] = plan.clients;
  result["seconds_per_operation"] = plan.seconds;
  result["transport"] = "TLS over loopback, keep-alive, one cpp-httplib connection per client";
  return result;
}

}  // namespace tigress::bench
