// The stores the relay's store tests run over, so that every behaviour is asserted the same way
// for each: the in-memory store and the Redis store on a private redis-server.
#pragma once

#include <gtest/gtest.h>

#include "reference/relay/redis_store.hpp"
#include "reference/relay/redis_test_server.hpp"
#include "reference/relay/relay_test_support.hpp"

namespace tigress::relay::testing {

struct MemoryBackend {
  static bool available(std::string&) { return true; }
  StoreFactory factory() const { return memory_store; }
};

// Every fixture gets keys of its own (a fresh prefix) on the process's shared server.
struct RedisBackend {
  static bool available(std::string& why) {
    if (RedisTestServer::program().empty()) {
      why = "redis-server is not installed (apt-get install redis-server); Redis store tests skipped";
      return false;
    }
    return true;
  }
  RedisStoreOptions options() const {
    RedisStoreOptions options;
    options.endpoint = (*shared_redis_server())->endpoint();
    options.key_prefix = prefix;
    return options;
  }
  StoreFactory factory(bool nonatomic_binding = false) const {
    RedisStoreOptions chosen = options();
    chosen.nonatomic_binding = nonatomic_binding;
    return [chosen](const Clock& clock) { return std::make_unique<RedisStore>(chosen, clock); };
  }
  std::string prefix = "test:" + fresh_uuid() + ":";
};

template <class Backend>
class OnEachStore : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    if (!Backend::available(why)) GTEST_SKIP() << why;
    if constexpr (std::is_same_v<Backend, RedisBackend>) {
      ASSERT_TRUE(shared_redis_server().ok()) << shared_redis_server().error().message();
    }
  }
  StoreFactory factory() const { return backend.factory(); }
  RelayHarness harness() const { return RelayHarness(RelayHarness::default_config(), factory()); }
  Backend backend;
};

struct BackendNames {
  template <class T>
  static std::string GetName(int) {
    return std::is_same_v<T, MemoryBackend> ? "Memory" : "Redis";
  }
};

using Backends = ::testing::Types<MemoryBackend, RedisBackend>;

}  // namespace tigress::relay::testing
