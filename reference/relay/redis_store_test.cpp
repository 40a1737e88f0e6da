// The Redis store across connections and relay instances: exactly one first reader binds and a
// duplicate Mailbox-Request-ID is executed once however many relays race (draft 4.1, 5.1,
// 8.1.1); the planted non-atomic binding is caught by the same race; an unreachable or damaged
// store answers 503 with a JSON error body; keys carry Redis TTLs and an expiry index.
#include <algorithm>
#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "reference/relay/store_backends_test_support.hpp"

namespace tigress::relay::testing {
namespace {

constexpr int kRacers = 12;

class RedisStoreTest : public OnEachStore<RedisBackend> {
 protected:
  // Each racer is a relay of its own (own store object, own connections), as separate relay
  // processes sharing one Redis would be; all start together on a latch.
  template <class Send>
  std::vector<Response> race(const StoreFactory& make_store, Send send) {
    std::vector<std::unique_ptr<RelayHarness>> relays;
    for (int i = 0; i < kRacers; ++i) {
      relays.push_back(std::make_unique<RelayHarness>(RelayHarness::default_config(), make_store));
    }
    std::vector<Response> responses(kRacers);
    std::latch start(kRacers);
    std::vector<std::thread> threads;
    for (int i = 0; i < kRacers; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        responses[i] = send(*relays[i], i);
      });
    }
    for (auto& thread : threads) thread.join();
    return responses;
  }

  static int count(const std::vector<Response>& responses, int status) {
    return static_cast<int>(
        std::count_if(responses.begin(), responses.end(), [&](const Response& r) { return r.status == status; }));
  }

  // Binders of one freshly created mailbox when kRacers distinct claims read it at once.
  int binders(const StoreFactory& make_store) {
    RelayHarness creator(RelayHarness::default_config(), make_store);
    const std::string id = creator.create_id(fresh_uuid());
    auto responses = race(make_store, [&](RelayHarness& relay, int) { return relay.read(id, fresh_uuid()); });
    EXPECT_EQ(count(responses, 200) + count(responses, 401), kRacers) << "only 200 or 401";
    return count(responses, 200);
  }

  RedisConnection& raw() {
    if (!raw_) {
      auto opened = RedisConnection::open(backend.options().endpoint, std::chrono::seconds(2), 1 << 20);
      EXPECT_TRUE(opened.ok());
      raw_ = std::move(*opened);
    }
    return *raw_;
  }

  std::unique_ptr<RedisConnection> raw_;
};

TEST_F(RedisStoreTest, ConcurrentFirstReadersOnSeparateRelaysBindExactlyOne) {
  for (int round = 0; round < 5; ++round) {
    EXPECT_EQ(binders(factory()), 1) << "round " << round;
  }
}

TEST_F(RedisStoreTest, PlantedNonAtomicBindingIsCaughtByTheRace) {
  int most = 0;
  for (int round = 0; round < 5 && most <= 1; ++round) most = std::max(most, binders(backend.factory(true)));
  EXPECT_GT(most, 1) << "with check-then-set binding several readers must bind; the race test would miss it";
}

TEST_F(RedisStoreTest, ConcurrentDuplicateUpdatesExecuteOnce) {
  RelayHarness creator(RelayHarness::default_config(), factory());
  const std::string initiator = fresh_uuid(), request_id = fresh_uuid();
  const std::string id = creator.create_id(initiator);
  auto data = [](int i) { return "cA" + std::string(1, static_cast<char>('A' + i)) + "="; };
  auto responses = race(factory(), [&](RelayHarness& relay, int i) {
    return relay.update(id, initiator, {{"payload", payload_json(data(i))}}, request_id);
  });
  ASSERT_EQ(count(responses, 200), 1);
  EXPECT_EQ(count(responses, 201), kRacers - 1);
  const int winner = static_cast<int>(
      std::find_if(responses.begin(), responses.end(), [](const Response& r) { return r.status == 200; }) -
      responses.begin());
  EXPECT_EQ(body_json(creator.read(id, initiator))["payload"]["data"], data(winner));
}

TEST_F(RedisStoreTest, ConcurrentDuplicateCreatesMakeOneMailbox) {
  const std::string initiator = fresh_uuid(), request_id = fresh_uuid();
  auto responses =
      race(factory(), [&](RelayHarness& relay, int) { return relay.create(initiator, create_body(), request_id); });
  ASSERT_EQ(count(responses, 200), 1);
  EXPECT_EQ(count(responses, 201), kRacers - 1);
  for (const auto& response : responses) EXPECT_EQ(response.body, responses[0].body) << "AMB-03";
  RelayHarness observer(RelayHarness::default_config(), factory());
  EXPECT_EQ(observer.store().begin()->mailbox_count(), 1u);
}

// Optimistic locking itself: of two transactions that read one mailbox and both bind it, the
// second to commit finds the value changed and writes nothing.
TEST_F(RedisStoreTest, ACommitAfterAConflictingWriteIsRefused) {
  RelayHarness relay = harness();
  const std::string id = relay.create_id(fresh_uuid());
  auto first = relay.store().begin();
  auto second = relay.store().begin();
  ASSERT_NE(first->find(id), nullptr);
  ASSERT_NE(second->find(id), nullptr);
  first->find(id)->recipient_claim = "first";
  second->find(id)->recipient_claim = "second";
  auto committed = first->commit();
  ASSERT_TRUE(committed.ok()) << committed.error().message();
  EXPECT_EQ(*committed, CommitOutcome::kCommitted);
  auto refused = second->commit();
  ASSERT_TRUE(refused.ok()) << refused.error().message();
  EXPECT_EQ(*refused, CommitOutcome::kConflict);
  auto check = relay.store().begin();
  EXPECT_EQ(check->find(id)->recipient_claim, "first");
}

void expect_unavailable(const Response& response) {
  EXPECT_EQ(response.status, 503) << response.body;
  ASSERT_NE(response.header("Content-Type"), nullptr);
  EXPECT_EQ(*response.header("Content-Type"), "application/json");
  auto body = body_json(response);
  ASSERT_TRUE(body.is_object()) << response.body;
  EXPECT_EQ(body["error"], "store_unavailable");
}

TEST_F(RedisStoreTest, AnUnreachableStoreAnswers503) {
  auto server = RedisTestServer::start();
  ASSERT_TRUE(server.ok()) << server.error().message();
  RedisStoreOptions options = backend.options();
  options.endpoint = (*server)->endpoint();
  options.timeout = std::chrono::milliseconds(500);
  RelayHarness relay(RelayHarness::default_config(),
                     [&](const Clock& clock) { return std::make_unique<RedisStore>(options, clock); });
  const std::string initiator = fresh_uuid();
  const std::string id = relay.create_id(initiator);
  ASSERT_EQ(relay.read(id, initiator).status, 200);
  (*server)->stop();
  expect_unavailable(relay.read(id, initiator));
  expect_unavailable(relay.create(initiator));
  expect_unavailable(relay.preview(id));
  expect_unavailable(relay.remove(id, initiator));
  auto answer = relay.create(initiator, create_body(), "echoed-id");
  EXPECT_EQ(*answer.header("Mailbox-Request-ID"), "echoed-id") << "5.1: echoed on errors too";
}

TEST_F(RedisStoreTest, ADamagedOrOversizedValueAnswers503) {
  RedisStoreOptions options = backend.options();
  options.max_value_bytes = 4096;
  RelayHarness relay(RelayHarness::default_config(),
                     [&](const Clock& clock) { return std::make_unique<RedisStore>(options, clock); });
  const std::string initiator = fresh_uuid();
  auto big = create_body();
  big["payload"]["data"] = std::string(8000, 'A');
  const std::string big_id = relay.create_id(initiator, big);
  expect_unavailable(relay.read(big_id, initiator));
  const std::string id = relay.create_id(initiator);
  ASSERT_EQ(relay.read(id, initiator).status, 200);
  ASSERT_TRUE(raw().command({"SET", backend.prefix + "m:" + id, "{\"id\": 7}"}).ok());
  expect_unavailable(relay.read(id, initiator));
  ASSERT_TRUE(raw().command({"SET", backend.prefix + "m:" + id, "not json"}).ok());
  expect_unavailable(relay.read(id, initiator));
}

TEST_F(RedisStoreTest, KeysCarryARedisTtlAndAnExpiryIndex) {
  RelayHarness relay = harness();
  const std::string initiator = fresh_uuid();
  const std::string id = relay.create_id(initiator, create_body("RWD", kStart + 3600));
  const std::string key = backend.prefix + "m:" + id;
  auto ttl = raw().command({"PTTL", key});
  ASSERT_TRUE(ttl.ok());
  EXPECT_GT(ttl->integer, 3600 * 1000LL);
  EXPECT_LE(ttl->integer, 3600 * 1000LL + 60 * 1000LL) << "time left by the relay's clock plus the grace";
  auto score = raw().command({"ZSCORE", backend.prefix + "mx", id});
  ASSERT_TRUE(score.ok());
  EXPECT_EQ(score->text, std::to_string(kStart + 3600)) << "indexed by expiration on the relay's clock";
  auto record_ttl = raw().command({"PTTL", backend.prefix + "r:" + initiator});
  ASSERT_TRUE(record_ttl.ok());
  EXPECT_GT(record_ttl->integer, 0) << "request records expire with their mailbox";
  ASSERT_EQ(relay.remove(id, initiator).status, 200);
  EXPECT_EQ(raw().command({"EXISTS", key})->integer, 0);
  EXPECT_EQ(raw().command({"ZSCORE", backend.prefix + "mx", id})->kind, RedisValue::kNil);
}

TEST_F(RedisStoreTest, ScriptsAreLoadedAgainAfterTheServerForgetsThem) {
  RelayHarness relay = harness();
  const std::string initiator = fresh_uuid();
  const std::string id = relay.create_id(initiator);
  ASSERT_TRUE(raw().command({"SCRIPT", "FLUSH"}).ok());
  EXPECT_EQ(relay.read(id, fresh_uuid()).status, 200) << "EVALSHA falls back to EVAL on NOSCRIPT";
  EXPECT_EQ(relay.read(id, fresh_uuid()).status, 401);
}

TEST_F(RedisStoreTest, ASelectedDatabaseIsSeparate) {
  RedisStoreOptions options = backend.options();
  options.endpoint.database = 3;
  auto in_db3 = [&](const Clock& clock) { return std::make_unique<RedisStore>(options, clock); };
  RelayHarness relay(RelayHarness::default_config(), in_db3);
  const std::string id = relay.create_id(fresh_uuid());
  EXPECT_EQ(raw().command({"EXISTS", backend.prefix + "m:" + id})->integer, 0) << "not in database 0";
  RelayHarness other(RelayHarness::default_config(), in_db3);
  EXPECT_EQ(other.preview(id).status, 200);
}

}  // namespace
}  // namespace tigress::relay::testing
