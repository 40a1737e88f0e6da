// The three parts of tigress-bench-scale's report: relay throughput per operation and store
// (one relay, or two sharing one Redis), memory per live mailbox, and the expiry sweep's cost
// as live and expired mailboxes grow. Each returns its JSON member; an error stops the run.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "reference/relay/redis_connection.hpp"

namespace tigress::bench {

struct ThroughputPlan {
  std::string relay_binary;    // tigress-relay
  relay::RedisEndpoint redis;  // the relays' shared store
  int clients = 16;
  double seconds = 2.0;  // per operation
};
// create, read, update, preview and delete against tigress-relay with the in-memory store, with
// the Redis store, and two of them sharing the Redis (clients spread evenly over both).
Result<nlohmann::json> measure_throughput(const ThroughputPlan& plan);

// Mailboxes created through the relay core in this process, ascending counts in one store:
// the in-memory store's growth of this process's resident memory, the Redis store's growth of
// the server's used_memory (the server is flushed first).
Result<nlohmann::json> measure_memory(const std::vector<std::size_t>& memory_store_counts,
                                      const std::vector<std::size_t>& redis_store_counts,
                                      const relay::RedisEndpoint& redis);

// For every live count (ascending) and every expired count, `repeats` times: one sweep
// (Relay::sweep) after that many mailboxes have expired among that many live ones, timed, for
// both stores.
Result<nlohmann::json> measure_sweep(const std::vector<std::size_t>& live_counts,
                                     const std::vector<std::size_t>& expired_counts, int repeats,
                                     const relay::RedisEndpoint& redis);

// FLUSHALL: the bench's own server starts each section empty.
Status flush_redis(const relay::RedisEndpoint& redis);

}  // namespace tigress::bench
