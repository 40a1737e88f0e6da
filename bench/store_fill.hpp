// Mailboxes created in this process through the relay core (Relay::handle on POST /v1/m), so a
// store holds exactly what tigress-relay would keep for them; and the two stores' own size
// measures: the process's resident memory, the Redis server's used_memory.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "reference/relay/redis_connection.hpp"
#include "reference/relay/relay.hpp"

namespace tigress::bench {

// Creates `count` mailboxes expiring at `expiration` with `threads` threads. The creating devices
// are a fixed pool of claims, so the relay's per-device request records stay a constant.
Status fill_mailboxes(const relay::Relay& relay, relay::Clock& clock, relay::Store& store, std::size_t count,
                      codec::UnixSeconds expiration, int threads);

// VmRSS of this process from /proc/self/status, in bytes.
std::optional<long long> resident_bytes();

// used_memory of INFO memory, in bytes.
Result<long long> redis_used_memory(relay::RedisConnection& redis);

}  // namespace tigress::bench
