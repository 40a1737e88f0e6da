#include "bench/store_fill.hpp"

#include <atomic>
#include <fstream>
#include <thread>
#include <vector>

#include "bench/relay_operations.hpp"

namespace tigress::bench {

Status fill_mailboxes(const relay::Relay& relay, relay::Clock& clock, relay::Store& store, std::size_t count,
                      codec::UnixSeconds expiration, int threads) {
  constexpr std::size_t kDevices = 64;
  std::vector<std::string> claims;
  for (std::size_t i = 0; i < kDevices; ++i) claims.push_back(fresh_uuid());
  std::atomic<std::size_t> next{0};
  std::atomic<int> last_failure{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (std::size_t i = next++; i < count && last_failure.load() == 0; i = next++) {
        const relay::Response response = relay.handle(create_request(claims[i % kDevices], expiration), clock, store);
        if (response.status != 200) last_failure = response.status;
      }
    });
  }
  for (auto& worker : workers) worker.join();
  if (last_failure != 0) return make_error("a create answered " + std::to_string(last_failure.load()));
  return {};
}

std::optional<long long> resident_bytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6)) * 1024;  // "VmRSS:   1234 kB"
  }
  return std::nullopt;
}

Result<long long> redis_used_memory(relay::RedisConnection& redis) {
  auto info = redis.command({"INFO", "memory"});
  if (!info) return info.error();
  const std::string key = "\nused_memory:";
  const auto at = ("\n" + info->text).find(key);
  if (at == std::string::npos) return make_error("INFO memory has no used_memory");
  return std::stoll(info->text.substr(at + key.size() - 1));
}

}  // namespace tigress::bench
