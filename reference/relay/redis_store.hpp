// Store on a Redis server, shared by any number of relay processes. A transaction reads with
// plain GETs and commits with one server-side script that first checks that every value read is
// still the same and only then writes (optimistic locking): of two relays binding the same
// mailbox, or executing the same Mailbox-Request-ID, exactly one commits and the other runs the
// request again on the new state. Keys carry a Redis TTL as the backstop for deletion; the relay's
// own clock decides expiry through a sorted-set index by expiration, so a sweep costs O(expired).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "reference/relay/clock.hpp"
#include "reference/relay/redis_connection.hpp"
#include "reference/relay/store.hpp"

namespace tigress::relay {

struct RedisStoreOptions {
  RedisEndpoint endpoint;
  std::string key_prefix = "tigress:";
  std::chrono::milliseconds timeout{2000};  // connect, read and write: an outage answers 503 soon
  std::size_t max_value_bytes = 8 << 20;    // bound on anything read back
  std::size_t max_idle_connections = 64;
  // Keys outlive their expiration by this much in Redis's own time, so that a relay clock a
  // little ahead of the server's never sees a mailbox vanish before its expiry.
  std::chrono::seconds ttl_grace{60};
  // The store-nonatomic-binding defect: commits write without checking what was read, after a
  // pause that widens the window (check-then-set over two round trips).
  bool nonatomic_binding = false;
};

class RedisStore final : public Store {
 public:
  // `clock` is the relay's: Redis TTLs are set as the time left by that clock (plus the grace),
  // so a test clock far from the server's time keeps its mailboxes. It must outlive the store.
  RedisStore(RedisStoreOptions options, const Clock& clock);
  std::unique_ptr<Transaction> begin() override;

  // PING over a pooled connection: tigress-relay refuses to start against an unreachable store.
  Status check_reachable();

 private:
  friend class RedisTransaction;
  RedisStoreOptions options_;
  const Clock& clock_;
  RedisConnectionPool pool_;
};

}  // namespace tigress::relay
