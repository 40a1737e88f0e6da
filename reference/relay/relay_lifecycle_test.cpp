// Deletion, expiry and the store's time-ordered sweep (draft 4.3, 6.3, 8.1.2).
#include <gtest/gtest.h>

#include "reference/relay/relay_test_support.hpp"

namespace tigress::relay::testing {
namespace {

void expect_gone(RelayHarness& relay, const std::string& id, const std::string& initiator,
                 const std::string& recipient) {
  EXPECT_EQ(relay.preview(id).status, 404);
  EXPECT_EQ(relay.read(id, initiator).status, 404);
  EXPECT_EQ(relay.read(id, recipient).status, 404);
  EXPECT_EQ(relay.update(id, initiator, {{"payload", payload_json()}}).status, 404);
  EXPECT_EQ(relay.remove(id, initiator).status, 404);
  EXPECT_EQ(relay.relinquish(id, recipient).status, 404);
}

TEST(RelayDelete, InitiatorDeletesAndEverythingIsGone) {
  RelayHarness relay;
  const std::string initiator = fresh_uuid(), r1 = fresh_uuid();
  auto id = relay.create_id(initiator);
  ASSERT_EQ(relay.read(id, r1).status, 200);
  const std::string request_id = fresh_uuid();
  auto deleted = relay.remove(id, initiator, request_id);
  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(relay.remove(id, initiator, request_id).status, 404) << "duplicate delete (6.3.3)";
  expect_gone(relay, id, initiator, r1);
}

TEST(RelayDelete, RecipientMayDeleteStrangerMayNot) {
  RelayHarness relay;
  const std::string initiator = fresh_uuid(), r1 = fresh_uuid();
  auto id = relay.create_id(initiator);
  ASSERT_EQ(relay.read(id, r1).status, 200);
  EXPECT_EQ(relay.remove(id, fresh_uuid()).status, 401);
  EXPECT_EQ(relay.remove(id, std::nullopt).status, 401);
  EXPECT_EQ(relay.remove(id, r1).status, 200);
  EXPECT_EQ(relay.read(id, initiator).status, 404);
}

TEST(RelayExpiry, ServedUntilTheExpirationInstantThenGone) {
  RelayHarness relay;
  const std::string initiator = fresh_uuid(), r1 = fresh_uuid();
  auto id = relay.create_id(initiator, create_body("RWD", kStart + 90));
  relay.clock().set(kStart + 89);
  EXPECT_EQ(relay.read(id, r1).status, 200);
  EXPECT_EQ(relay.preview(id).status, 200);
  relay.clock().set(kStart + 90);
  expect_gone(relay, id, initiator, r1);
  EXPECT_EQ(relay.store().begin()->mailbox_count(), 0u) << "expired mailboxes are deleted, not hidden";
}

TEST(RelayExpiry, SweepRemovesOnlyExpiredMailboxes) {
  MemoryStore store;
  auto tx = store.begin();
  for (int i = 0; i < 100; ++i) {
    Mailbox mailbox;
    mailbox.id = "m" + std::to_string(i);
    mailbox.expiration = kStart + i;
    ASSERT_TRUE(tx->insert(std::move(mailbox)));
  }
  Mailbox duplicate;
  duplicate.id = "m5";
  EXPECT_FALSE(tx->insert(std::move(duplicate))) << "ids are unique";
  EXPECT_EQ(tx->erase_expired(kStart + 9), 10u);
  EXPECT_EQ(tx->mailbox_count(), 90u);
  EXPECT_EQ(tx->find("m9"), nullptr);
  EXPECT_NE(tx->find("m10"), nullptr);
  EXPECT_TRUE(tx->erase("m50"));
  EXPECT_FALSE(tx->erase("m50"));
  EXPECT_EQ(tx->erase_expired(kStart + 60), 50u) << "m50 was erased already and is not counted";
  EXPECT_EQ(tx->erase_expired(kStart + 60), 0u);
}

TEST(RelayExpiry, RequestRecordsAreForgottenWithTheirMailbox) {
  MemoryStore store;
  auto tx = store.begin();
  tx->remember_request("claim", RequestRecord{"r1", "POST", "", "{}", kStart + 10});
  tx->remember_request("claim", RequestRecord{"r2", "PUT", "m", "{}", kStart + 20});
  ASSERT_TRUE(tx->last_request("claim"));
  EXPECT_EQ(tx->last_request("claim")->request_id, "r2");
  tx->erase_expired(kStart + 15);
  EXPECT_TRUE(tx->last_request("claim")) << "replaced record's old deadline must not apply";
  tx->erase_expired(kStart + 20);
  EXPECT_FALSE(tx->last_request("claim"));
}

}  // namespace
}  // namespace tigress::relay::testing
