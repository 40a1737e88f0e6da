// `tigress-relay --store`: memory or redis://HOST:PORT[/DB]; every mistake a one-line error.
#include <gtest/gtest.h>

#include "reference/relay/store_url.hpp"

namespace tigress::relay {
namespace {

TEST(StoreUrl, MemoryAndRedisUrls) {
  auto memory = parse_store_url("memory");
  ASSERT_TRUE(memory.ok());
  EXPECT_FALSE(memory->has_value());
  auto plain = parse_store_url("redis://127.0.0.1:6379");
  ASSERT_TRUE(plain.ok()) << plain.error().message();
  EXPECT_EQ(**plain, (RedisEndpoint{"127.0.0.1", 6379, 0}));
  auto with_db = parse_store_url("redis://cache.internal:7000/12");
  ASSERT_TRUE(with_db.ok());
  EXPECT_EQ(**with_db, (RedisEndpoint{"cache.internal", 7000, 12}));
  auto v6 = parse_store_url("redis://[::1]:6380/1");
  ASSERT_TRUE(v6.ok()) << v6.error().message();
  EXPECT_EQ(**v6, (RedisEndpoint{"::1", 6380, 1}));
}

TEST(StoreUrl, MistakesAreOneLineErrors) {
  for (const char* bad :
       {"", "redis", "redis://", "redis://host", "redis://:6379", "redis://host:", "redis://host:0",
        "redis://host:65536", "redis://host:-1", "redis://host:63 79", "redis://host:6379/", "redis://host:6379/x",
        "redis://host:6379/1/2", "redis://user:pw@host:6379", "rediss://host:6379", "http://host:6379",
        "redis://[::1:6379", "redis://[::1]6379", "Memory"}) {
    auto parsed = parse_store_url(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    const std::string message = parsed.error().message();
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    EXPECT_NE(message.find("--store"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace tigress::relay
