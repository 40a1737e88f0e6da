// The same store behaviour over every store (in memory, Redis): binding, duplicates, deletion,
// expiry by the relay's clock and the sweep's counts (draft 4.1, 4.3, 5.1, 6.3, 6.5, 6.6, 8.1.1).
#include <gtest/gtest.h>

#include "reference/relay/store_backends_test_support.hpp"

namespace tigress::relay::testing {
namespace {

template <class Backend>
using StoreContract = OnEachStore<Backend>;
TYPED_TEST_SUITE(StoreContract, Backends, BackendNames);

TYPED_TEST(StoreContract, FirstRecipientBindsOthersAreRefused) {
  RelayHarness relay = this->harness();
  const std::string initiator = fresh_uuid(), r1 = fresh_uuid(), r2 = fresh_uuid();
  const std::string id = relay.create_id(initiator);
  EXPECT_EQ(relay.read(id, initiator).status, 200) << "the initiator never takes the slot";
  ASSERT_EQ(relay.read(id, r1).status, 200);
  EXPECT_EQ(relay.read(id, r2).status, 401);
  EXPECT_EQ(relay.read(id, r1).status, 200);
  EXPECT_EQ(relay.update(id, r2, {{"payload", payload_json("cDI=")}}).status, 401);
  EXPECT_EQ(relay.update(id, r1, {{"payload", payload_json("cDE=")}}).status, 200);
  EXPECT_EQ(body_json(relay.read(id, initiator))["payload"]["data"], "cDE=");
}

TYPED_TEST(StoreContract, DuplicateCreateIsAnswered201AndCreatesOnce) {
  RelayHarness relay = this->harness();
  const std::string initiator = fresh_uuid(), request_id = fresh_uuid();
  auto first = relay.create(initiator, create_body(), request_id);
  ASSERT_EQ(first.status, 200);
  auto again = relay.create(initiator, create_body(), request_id);
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body) << "the original body is repeated (AMB-03)";
  EXPECT_EQ(relay.store().begin()->mailbox_count(), 1u);
}

TYPED_TEST(StoreContract, DuplicateUpdateChangesNothingAndANewIdIsExecuted) {
  RelayHarness relay = this->harness();
  const std::string initiator = fresh_uuid(), request_id = fresh_uuid();
  const std::string id = relay.create_id(initiator);
  ASSERT_EQ(relay.update(id, initiator, {{"payload", payload_json("cDE=")}}, request_id).status, 200);
  EXPECT_EQ(relay.update(id, initiator, {{"payload", payload_json("cDI=")}}, request_id).status, 201);
  EXPECT_EQ(body_json(relay.read(id, initiator))["payload"]["data"], "cDE=");
  EXPECT_EQ(relay.update(id, initiator, {{"payload", payload_json("cDI=")}}).status, 200);
  EXPECT_EQ(body_json(relay.read(id, initiator))["payload"]["data"], "cDI=");
}

TYPED_TEST(StoreContract, RequestIdsThatAreNotUtf8StillMatchExactly) {
  RelayHarness relay = this->harness();
  const std::string initiator = fresh_uuid(), request_id = "\xff\xfe-\x80";
  const std::string id = relay.create_id(initiator);
  ASSERT_EQ(relay.update(id, initiator, {{"payload", payload_json("cDE=")}}, request_id).status, 200);
  EXPECT_EQ(relay.update(id, initiator, {{"payload", payload_json("cDI=")}}, request_id).status, 201);
  EXPECT_EQ(relay.update(id, initiator, {{"payload", payload_json("cDI=")}}, "\xff\xfe-\x81").status, 200);
}

TYPED_TEST(StoreContract, RelinquishFreesTheSlot) {
  RelayHarness relay = this->harness();
  const std::string initiator = fresh_uuid(), r1 = fresh_uuid(), r2 = fresh_uuid();
  const std::string id = relay.create_id(initiator);
  ASSERT_EQ(relay.read(id, r1).status, 200);
  const std::string request_id = fresh_uuid();
  EXPECT_EQ(relay.relinquish(id, r1, request_id).status, 200);
  EXPECT_EQ(relay.relinquish(id, r1, request_id).status, 201) << "AMB-42";
  EXPECT_EQ(relay.read(id, r2).status, 200);
  EXPECT_EQ(relay.read(id, r1).status, 401);
}

TYPED_TEST(StoreContract, DeleteRemovesTheMailbox) {
  RelayHarness relay = this->harness();
  const std::string initiator = fresh_uuid(), request_id = fresh_uuid();
  const std::string id = relay.create_id(initiator);
  EXPECT_EQ(relay.remove(id, initiator, request_id).status, 200);
  EXPECT_EQ(relay.remove(id, initiator, request_id).status, 404) << "6.3.3";
  EXPECT_EQ(relay.read(id, initiator).status, 404);
  EXPECT_EQ(relay.preview(id).status, 404);
  EXPECT_EQ(relay.store().begin()->mailbox_count(), 0u);
}

TYPED_TEST(StoreContract, ContentAndTokensRoundTripUnchanged) {
  RelayHarness relay = this->harness();
  const std::string initiator = fresh_uuid(), r1 = fresh_uuid();
  auto body = create_body("RW", kStart + 7200);
  // Members one by one: a braced list assigned over an existing member leaks under clang 14 (LSan).
  body["payload"]["type"] = "AEAD \"x\" \\ \u00e9";
  body["payload"]["data"] = std::string(40000, 'Q') + "\u2603";
  body["displayInformation"]["title"] = "Tür <b> \u00ab\u00bb";
  body["notificationToken"]["type"] = "apns";
  body["notificationToken"]["tokenData"] = "dG9rZW4=";
  const std::string id = relay.create_id(initiator, body);
  auto read = relay.read(id, r1);
  ASSERT_EQ(read.status, 200);
  auto content = body_json(read);
  EXPECT_EQ(content["payload"], body["payload"]);
  EXPECT_EQ(content["displayInformation"], body["displayInformation"]);
  EXPECT_EQ(content["expiration"], codec::format_timestamp(kStart + 7200));
  EXPECT_EQ(relay.remove(id, initiator).status, 401) << "rights RW: no D";
}

TYPED_TEST(StoreContract, ExpiryFollowsTheRelayClock) {
  RelayHarness relay = this->harness();
  const std::string initiator = fresh_uuid(), other = fresh_uuid(), r1 = fresh_uuid();
  const std::string request_id = fresh_uuid();
  ASSERT_EQ(relay.create(initiator, create_body("RWD", kStart + 90), request_id).status, 200);
  const std::string id = relay.create_id(other, create_body("RWD", kStart + 3600));
  EXPECT_EQ(relay.create(initiator, create_body("RWD", kStart + 600), request_id).status, 201);
  relay.clock().set(kStart + 89);
  EXPECT_EQ(relay.store().begin()->mailbox_count(), 2u);
  relay.clock().set(kStart + 90);
  EXPECT_EQ(relay.read(id, r1).status, 200);
  EXPECT_EQ(relay.store().begin()->mailbox_count(), 1u) << "the expired one is deleted, not hidden";
  EXPECT_EQ(relay.create(initiator, create_body("RWD", kStart + 600), request_id).status, 200)
      << "a request record is forgotten with its mailbox";
  relay.clock().set(kStart + 3600);
  EXPECT_EQ(relay.read(id, r1).status, 404);
}

// Each step commits on its own, as the relay's requests do.
TYPED_TEST(StoreContract, SweepRemovesOnlyExpiredMailboxes) {
  RelayHarness relay = this->harness();
  Store& store = relay.store();
  auto step = [&](auto&& body) {
    auto tx = store.begin();
    body(*tx);
    auto committed = tx->commit();
    ASSERT_TRUE(committed.ok()) << committed.error().message();
    EXPECT_EQ(*committed, CommitOutcome::kCommitted);
  };
  step([&](Transaction& tx) {
    for (int i = 0; i < 100; ++i) {
      Mailbox mailbox;
      mailbox.id = "m" + std::to_string(i);
      mailbox.expiration = kStart + i;
      ASSERT_TRUE(tx.insert(std::move(mailbox)));
    }
  });
  step([&](Transaction& tx) {
    Mailbox duplicate;
    duplicate.id = "m5";
    duplicate.payload.data = "kept";
    EXPECT_FALSE(tx.insert(std::move(duplicate))) << "ids are unique";
    EXPECT_EQ(duplicate.id, "m5") << "a refused insert leaves the mailbox as it was";
    EXPECT_EQ(duplicate.payload.data, "kept");
  });
  step([&](Transaction& tx) { EXPECT_EQ(tx.erase_expired(kStart + 9), 10u); });
  step([&](Transaction& tx) {
    EXPECT_EQ(tx.mailbox_count(), 90u);
    EXPECT_EQ(tx.find("m9"), nullptr);
    EXPECT_NE(tx.find("m10"), nullptr);
    EXPECT_TRUE(tx.erase("m50"));
  });
  step([&](Transaction& tx) { EXPECT_FALSE(tx.erase("m50")); });
  step([&](Transaction& tx) { EXPECT_EQ(tx.erase_expired(kStart + 60), 50u) << "m50 is not counted"; });
  step([&](Transaction& tx) { EXPECT_EQ(tx.erase_expired(kStart + 60), 0u); });
  step([&](Transaction& tx) { EXPECT_EQ(tx.mailbox_count(), 39u); });
}

TYPED_TEST(StoreContract, ReplacedRequestRecordKeepsItsNewDeadline) {
  RelayHarness relay = this->harness();
  Store& store = relay.store();
  auto tx = store.begin();
  tx->remember_request("claim", RequestRecord{"r1", "POST", "", "{}", kStart + 10});
  ASSERT_TRUE(tx->commit().ok());
  tx.reset();  // one transaction at a time: the memory store's is exclusive
  tx = store.begin();
  tx->remember_request("claim", RequestRecord{"r2", "PUT", "m", "{}", kStart + 20});
  ASSERT_TRUE(tx->commit().ok());
  tx.reset();
  tx = store.begin();
  ASSERT_TRUE(tx->last_request("claim"));
  EXPECT_EQ(tx->last_request("claim")->request_id, "r2");
  tx->erase_expired(kStart + 15);
  ASSERT_TRUE(tx->commit().ok());
  tx.reset();
  tx = store.begin();
  EXPECT_TRUE(tx->last_request("claim")) << "the replaced record's old deadline must not apply";
  tx->erase_expired(kStart + 20);
  ASSERT_TRUE(tx->commit().ok());
  tx.reset();
  tx = store.begin();
  EXPECT_FALSE(tx->last_request("claim"));
}

// One step in a transaction of its own, committed, as the relay's requests do.
template <class Body>
void run_committed(Store& store, Body&& body) {
  auto tx = store.begin();
  body(*tx);
  ASSERT_TRUE(tx->commit().ok());
}

// A device that sends request after request within one second: each record replaces the last
// with the same deadline, and the record still goes at that deadline, not before.
TYPED_TEST(StoreContract, RecordReplacedWithTheSameDeadlineExpiresOnce) {
  RelayHarness relay = this->harness();
  auto in_transaction = [&store = relay.store()](auto&& body) { run_committed(store, body); };
  for (int i = 0; i < 3; ++i) {
    in_transaction([&](Transaction& tx) {
      tx.remember_request("claim", RequestRecord{"r" + std::to_string(i), "PUT", "m", "{}", kStart + 10});
      tx.remember_request("other", RequestRecord{"o" + std::to_string(i), "PUT", "m", "{}", kStart + 30});
    });
  }
  in_transaction([&](Transaction& tx) {
    const RequestRecord* record = tx.last_request("claim");
    ASSERT_NE(record, nullptr);
    EXPECT_EQ(record->request_id, "r2");
    tx.erase_expired(kStart + 9);
  });
  in_transaction([&](Transaction& tx) { EXPECT_NE(tx.last_request("claim"), nullptr) << "not before its deadline"; });
  in_transaction([&](Transaction& tx) { tx.erase_expired(kStart + 10); });
  in_transaction([&](Transaction& tx) {
    EXPECT_EQ(tx.last_request("claim"), nullptr);
    ASSERT_NE(tx.last_request("other"), nullptr) << "another claim's record keeps its own deadline";
    EXPECT_EQ(tx.last_request("other")->request_id, "o2");
  });
  in_transaction([&](Transaction& tx) { tx.erase_expired(kStart + 30); });
  in_transaction([&](Transaction& tx) { EXPECT_EQ(tx.last_request("other"), nullptr); });
}

// Erased mailboxes leave nothing behind in the expiry index: a later sweep of their second
// removes only what is still there, and a new mailbox under a reused id expires at its own time.
TYPED_TEST(StoreContract, ErasedMailboxLeavesTheExpiryIndex) {
  RelayHarness relay = this->harness();
  auto in_transaction = [&store = relay.store()](auto&& body) { run_committed(store, body); };
  in_transaction([&](Transaction& tx) {
    for (const char* id : {"a", "b", "c"}) {
      Mailbox mailbox;
      mailbox.id = id;
      mailbox.expiration = kStart + 5;
      ASSERT_TRUE(tx.insert(std::move(mailbox)));
    }
  });
  in_transaction([&](Transaction& tx) { EXPECT_TRUE(tx.erase("b")); });
  in_transaction([&](Transaction& tx) {
    Mailbox again;
    again.id = "b";
    again.expiration = kStart + 50;
    ASSERT_TRUE(tx.insert(std::move(again)));
  });
  in_transaction([&](Transaction& tx) { EXPECT_EQ(tx.erase_expired(kStart + 5), 2u); });
  in_transaction([&](Transaction& tx) {
    EXPECT_EQ(tx.mailbox_count(), 1u);
    EXPECT_NE(tx.find("b"), nullptr) << "the id's new mailbox keeps its own expiration";
  });
  in_transaction([&](Transaction& tx) { EXPECT_EQ(tx.erase_expired(kStart + 50), 1u); });
  in_transaction([&](Transaction& tx) { EXPECT_EQ(tx.mailbox_count(), 0u); });
}

}  // namespace
}  // namespace tigress::relay::testing
