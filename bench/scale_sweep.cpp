#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>

#include "bench/scale_sections.hpp"
#include "bench/store_fill.hpp"
#include "reference/relay/memory_store.hpp"
#include "reference/relay/redis_store.hpp"

namespace tigress::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Live mailboxes outlive every sweep of the run; the expiring ones expire an hour after the
// fill's time, when the clock jumps there for the sweep and back afterwards. An hour also keeps
// Redis's own TTL backstop from deleting them first.
constexpr codec::UnixSeconds kLiveFor = 24 * 3600;
constexpr codec::UnixSeconds kExpiringFor = 3600;

Result<nlohmann::json> sweep_table(relay::Store& store, relay::ManualClock& clock, int threads,
                                   const std::vector<std::size_t>& live_counts,
                                   const std::vector<std::size_t>& expired_counts, int repeats) {
  relay::RelayConfig config;
  const relay::Relay relay(config);
  const codec::UnixSeconds fill_time = clock.now();
  nlohmann::json rows = nlohmann::json::array();
  std::size_t live = 0;
  for (const std::size_t live_count : live_counts) {
    if (auto done = fill_mailboxes(relay, clock, store, live_count - live, fill_time + kLiveFor, threads); !done) {
      return done.error();
    }
    live = live_count;
    for (const std::size_t expired : expired_counts) {
      std::vector<double> samples_ms;
      std::size_t removed = 0, left = 0;
      for (int round = 0; round < repeats; ++round) {
        if (auto done = fill_mailboxes(relay, clock, store, expired, fill_time + kExpiringFor, threads); !done) {
          return done.error();
        }
        const std::size_t before = store.begin()->mailbox_count();
        clock.set(fill_time + kExpiringFor);
        const auto start = SteadyClock::now();
        relay.sweep(clock, store);
        samples_ms.push_back(std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count());
        clock.set(fill_time);
        left = store.begin()->mailbox_count();
        removed = std::max(removed, before - left);  // the same every round unless a sweep misses some
      }
      std::vector<double> sorted = samples_ms;
      std::sort(sorted.begin(), sorted.end());
      const double median = sorted[sorted.size() / 2];
      rows.push_back({{"live", live},
                      {"expired", expired},
                      {"removed", removed},
                      {"left", left},
                      {"sweep_ms", median},
                      {"sweep_ms_samples", samples_ms},
                      {"sweep_us_per_expired", expired > 0 ? median * 1000 / static_cast<double>(expired) : 0.0}});
    }
  }
  return rows;
}

}  // namespace

Result<nlohmann::json> measure_sweep(const std::vector<std::size_t>& live_counts,
                                     const std::vector<std::size_t>& expired_counts, int repeats,
                                     const relay::RedisEndpoint& redis) {
  const codec::UnixSeconds start =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  nlohmann::json result;
  {
    relay::ManualClock clock(start);
    relay::MemoryStore store;
    auto rows = sweep_table(store, clock, 1, live_counts, expired_counts, repeats);
    if (!rows) return rows.error();
    result["memory_store"] = *rows;
  }
  if (auto flushed = flush_redis(redis); !flushed) return flushed.error();
  relay::ManualClock clock(start);
  relay::RedisStoreOptions options;
  options.endpoint = redis;
  relay::RedisStore store(options, clock);
  auto rows = sweep_table(store, clock, 8, live_counts, expired_counts, repeats);
  if (!rows) return rows.error();
  result["redis_store"] = *rows;
  result["timed"] =
      "one Relay::sweep (one store transaction: erase_expired, commit) after the clock passes the "
      "expiration of `expired` mailboxes among `live` ones that stay; sweep_ms is the median of "
      "sweep_ms_samples, one per repeat (the expired ones made anew each time)";
  result["repeats"] = repeats;
  return result;
}

}  // namespace tigress::bench
