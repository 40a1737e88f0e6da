#include <chrono>
#include <memory>

#include "bench/scale_sections.hpp"
#include "bench/store_fill.hpp"
#include "reference/relay/memory_store.hpp"
#include "reference/relay/redis_store.hpp"

namespace tigress::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

codec::UnixSeconds system_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Fills `store` up to each count in turn; `size` measures what the store occupies.
template <typename Size>
Result<nlohmann::json> grow(relay::Store& store, relay::ManualClock& clock, const std::vector<std::size_t>& counts,
                            int threads, const Size& size, const std::string& figure) {
  relay::RelayConfig config;
  const relay::Relay relay(config);
  auto baseline = size();
  if (!baseline) return baseline.error();
  nlohmann::json rows = nlohmann::json::array();
  std::size_t filled = 0;
  double fill_seconds = 0;
  for (const std::size_t count : counts) {
    const auto start = SteadyClock::now();
    if (auto done = fill_mailboxes(relay, clock, store, count - filled, clock.now() + 24 * 3600, threads); !done) {
      return done.error();
    }
    fill_seconds += std::chrono::duration<double>(SteadyClock::now() - start).count();
    filled = count;
    auto now_size = size();
    if (!now_size) return now_size.error();
    const std::size_t live = store.begin()->mailbox_count();
    const long long delta = *now_size - *baseline;
    rows.push_back({{"mailboxes", live},
                    {figure + "_delta_bytes", delta},
                    {"bytes_per_mailbox", live > 0 ? static_cast<double>(delta) / static_cast<double>(live) : 0.0},
                    {"fill_seconds_total", fill_seconds}});
  }
  return rows;
}

}  // namespace

Status flush_redis(const relay::RedisEndpoint& redis) {
  auto connection = relay::RedisConnection::open(redis, std::chrono::seconds(30), 1 << 20);
  if (!connection) return connection.error();
  if (auto flushed = (*connection)->command({"FLUSHALL"}); !flushed) return flushed.error();
  return {};
}

Result<nlohmann::json> measure_memory(const std::vector<std::size_t>& memory_store_counts,
                                      const std::vector<std::size_t>& redis_store_counts,
                                      const relay::RedisEndpoint& redis) {
  nlohmann::json result;
  relay::ManualClock clock(system_now());
  {
    relay::MemoryStore store;
    auto rows = grow(
        store, clock, memory_store_counts, 1,
        []() -> Result<long long> {
          auto rss = resident_bytes();
          if (!rss) return make_error("no VmRSS in /proc/self/status");
          return *rss;
        },
        "rss");
    if (!rows) return rows.error();
    result["memory_store"] = {
        {"figure", "VmRSS of this process (the relay core and its MemoryStore) minus before the first create"},
        {"rows", *rows}};
  }
  if (auto flushed = flush_redis(redis); !flushed) return flushed.error();
  auto info = relay::RedisConnection::open(redis, std::chrono::seconds(30), 1 << 20);
  if (!info) return info.error();
  relay::RedisStoreOptions options;
  options.endpoint = redis;
  relay::RedisStore store(options, clock);
  auto rows = grow(
      store, clock, redis_store_counts, 8, [&] { return redis_used_memory(**info); }, "used_memory");
  if (!rows) return rows.error();
  result["redis_store"] = {{"figure", "INFO memory used_memory of the Redis server minus before the first create"},
                           {"rows", *rows}};
  result["devices"] = 64;
  result["note"] =
      "every mailbox created through Relay::handle (POST /v1/m, 344-character payload, display "
      "information); 64 device claims, so the per-device request records are a constant";
  return result;
}

}  // namespace tigress::bench
