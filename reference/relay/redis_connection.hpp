// hiredis behind errors as values: one blocking connection with timeouts, a pool of them for the
// relay's worker threads, and server-side scripts run by digest (EVALSHA) with the full text as
// the fallback when the server does not know them yet (NOSCRIPT).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"

struct redisContext;

namespace tigress::relay {

struct RedisEndpoint {
  std::string host;
  int port = 6379;
  int database = 0;
  friend bool operator==(const RedisEndpoint&, const RedisEndpoint&) = default;
};

// A reply reduced to what the store uses, with every string bounded by the connection's limit.
struct RedisValue {
  enum Kind { kNil, kInteger, kString, kArray } kind = kNil;
  long long integer = 0;
  std::string text;
  std::vector<RedisValue> elements;
};

class RedisScript {
 public:
  explicit RedisScript(std::string source);
  const std::string& source() const { return source_; }
  const std::string& sha1() const { return sha1_; }

 private:
  std::string source_;
  std::string sha1_;  // lowercase hex, as EVALSHA wants it
};

class RedisConnection {
 public:
  static Result<std::unique_ptr<RedisConnection>> open(const RedisEndpoint& endpoint, std::chrono::milliseconds timeout,
                                                       std::size_t max_reply_bytes);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // A server error reply ("ERR ...") is an Error too. After a transport error the connection is
  // broken() and must not be reused.
  Result<RedisValue> command(const std::vector<std::string>& argv);
  Result<RedisValue> run(const RedisScript& script, const std::vector<std::string>& keys,
                         const std::vector<std::string>& args);
  bool broken() const { return broken_; }

 private:
  RedisConnection(redisContext* context, std::size_t max_reply_bytes);
  redisContext* context_;
  std::size_t max_reply_bytes_;
  bool broken_ = false;
};

// Connections for many threads: each caller leases one for a transaction and gives it back.
class RedisConnectionPool {
 public:
  RedisConnectionPool(RedisEndpoint endpoint, std::chrono::milliseconds timeout, std::size_t max_reply_bytes,
                      std::size_t max_idle);

  class Lease {
   public:
    Lease(RedisConnectionPool& pool, std::unique_ptr<RedisConnection> connection)
        : pool_(&pool), connection_(std::move(connection)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = default;
    ~Lease();
    RedisConnection& operator*() { return *connection_; }
    RedisConnection* operator->() { return connection_.get(); }

   private:
    RedisConnectionPool* pool_;
    std::unique_ptr<RedisConnection> connection_;
  };

  Result<Lease> acquire();
  const RedisEndpoint& endpoint() const { return endpoint_; }

 private:
  void give_back(std::unique_ptr<RedisConnection> connection);

  RedisEndpoint endpoint_;
  std::chrono::milliseconds timeout_;
  std::size_t max_reply_bytes_;
  std::size_t max_idle_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<RedisConnection>> idle_;
};

}  // namespace tigress::relay
