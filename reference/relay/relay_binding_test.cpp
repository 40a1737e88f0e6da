// Device-claim binding, access rights, Update and Relinquish (draft 4.1, 6.2, 6.5, 6.6, 8.1.1).
#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "reference/relay/relay_test_support.hpp"

namespace tigress::relay::testing {
namespace {

class Binding : public ::testing::Test {
 protected:
  RelayHarness relay;
  std::string initiator = fresh_uuid(), r1 = fresh_uuid(), r2 = fresh_uuid(), stranger = fresh_uuid();
  std::string id = relay.create_id(initiator);
  nlohmann::json p1 = {{"payload", payload_json("cDE=")}};
  nlohmann::json p2 = {{"payload", payload_json("cDI=")}};

  std::string stored_data(const std::string& claim) { return body_json(relay.read(id, claim))["payload"]["data"]; }
};

TEST_F(Binding, InitiatorReadDoesNotTakeTheRecipientSlot) {
  EXPECT_EQ(relay.read(id, initiator).status, 200);
  EXPECT_EQ(relay.read(id, initiator).status, 200);
  EXPECT_EQ(relay.read(id, r1).status, 200);
}

TEST_F(Binding, FirstRecipientBindsAndOthersAreRefused) {
  auto first = relay.read(id, r1);
  ASSERT_EQ(first.status, 200);
  auto body = body_json(first);
  EXPECT_EQ(body["payload"], payload_json());
  EXPECT_EQ(body["displayInformation"]["title"], "Car Key");
  EXPECT_EQ(relay.read(id, r2).status, 401);
  EXPECT_EQ(relay.read(id, r1).status, 200);
  EXPECT_EQ(relay.read(id, initiator).status, 200);
}

TEST_F(Binding, ClaimsCompareAsUuidsWhateverTheLetterCase) {
  std::string upper = r1;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ASSERT_EQ(relay.read(id, upper).status, 200);
  EXPECT_EQ(relay.read(id, r1).status, 200);
}

TEST_F(Binding, ReadWithoutClaimFailsAndBindsNothing) {
  EXPECT_EQ(relay.read(id, std::nullopt).status, 401);
  EXPECT_EQ(relay.read(id, "garbage").status, 401);
  EXPECT_EQ(relay.read(id, r1).status, 200);
}

TEST_F(Binding, ConcurrentFirstReadsBindExactlyOne) {
  constexpr int kReaders = 32;
  std::atomic<int> ok{0}, refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kReaders; ++i) {
    threads.emplace_back([&] {
      int status = relay.read(id, fresh_uuid()).status;
      (status == 200 ? ok : refused)++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(refused.load(), kReaders - 1);
}

TEST_F(Binding, UnboundClaimsCannotUpdateOrDeleteAndNeverBind) {
  EXPECT_EQ(relay.update(id, r1, p1).status, 401);
  EXPECT_EQ(relay.remove(id, r1).status, 401);
  EXPECT_EQ(relay.relinquish(id, r1).status, 401);
  EXPECT_EQ(relay.read(id, r1).status, 200) << "R1 can still be first";
  EXPECT_EQ(relay.update(id, stranger, p1).status, 401);
  EXPECT_EQ(relay.remove(id, stranger).status, 401);
  EXPECT_EQ(stored_data(initiator), payload_json()["data"]);
}

TEST_F(Binding, RoundTripsBetweenInitiatorAndRecipient) {
  ASSERT_EQ(relay.read(id, r1).status, 200);
  ASSERT_EQ(relay.update(id, r1, p1).status, 200);
  EXPECT_EQ(stored_data(initiator), "cDE=");
  ASSERT_EQ(relay.update(id, initiator, p2).status, 200);
  EXPECT_EQ(stored_data(r1), "cDI=");
  EXPECT_EQ(relay.remove(id, r1).status, 200);
}

TEST_F(Binding, BackToBackUpdatesOverwrite) {
  EXPECT_EQ(relay.update(id, initiator, p1).status, 200);
  EXPECT_EQ(relay.update(id, initiator, p2).status, 200);
  EXPECT_EQ(stored_data(initiator), "cDI=");
}

TEST_F(Binding, UpdateAnswersJsonPushFlag) {
  auto response = relay.update(id, initiator, p1);
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(*response.header("Content-Type"), "application/json");
  EXPECT_EQ(body_json(response)["isPushNotificationSupported"], false);
}

TEST_F(Binding, DuplicateUpdateIs201AndChangesNothing) {
  const std::string request_id = fresh_uuid();
  ASSERT_EQ(relay.update(id, initiator, p1, request_id).status, 200);
  auto duplicate = relay.update(id, initiator, p2, request_id);
  EXPECT_EQ(duplicate.status, 201);
  EXPECT_EQ(body_json(duplicate)["isPushNotificationSupported"], false);
  EXPECT_EQ(stored_data(initiator), "cDE=");
  EXPECT_EQ(relay.update(id, initiator, p2).status, 200) << "a new request ID is processed";
  EXPECT_EQ(stored_data(initiator), "cDI=");
}

TEST_F(Binding, UpdateValidatesBodyAndMediaType) {
  EXPECT_EQ(relay.update(id, initiator, nlohmann::json::object()).status, 400);
  EXPECT_EQ(relay.send("PUT", "/v1/m/" + id, initiator, fresh_uuid(), p1.dump(), "text/plain").status, 415);
  EXPECT_EQ(relay.send("PUT", "/v1/m/" + id, std::nullopt, fresh_uuid(), p1.dump()).status, 400);
  EXPECT_EQ(relay.send("PUT", "/v1/m/" + id, initiator, std::nullopt, p1.dump()).status, 400);
}

TEST_F(Binding, UpdateIgnoresMembersOutsideItsSchema) {
  auto body = p1;
  body["displayInformation"] = {{"title", "changed"}, {"description", "x"}, {"imageURL", "https://x"}};
  body["mailboxConfiguration"] = {{"expiration", codec::format_timestamp(kStart + 40000)}};
  ASSERT_EQ(relay.update(id, initiator, body).status, 200);
  auto read = body_json(relay.read(id, initiator));
  EXPECT_EQ(read["displayInformation"]["title"], "Car Key");
  EXPECT_EQ(read["expiration"], codec::format_timestamp(kStart + 3600));
}

TEST_F(Binding, RelinquishFreesTheSlotForAnotherRecipient) {
  ASSERT_EQ(relay.read(id, r1).status, 200);
  const std::string request_id = fresh_uuid();
  EXPECT_EQ(relay.relinquish(id, r1, request_id).status, 200);
  EXPECT_EQ(relay.relinquish(id, r1, request_id).status, 201) << "duplicate relinquish (AMB-42)";
  EXPECT_EQ(relay.read(id, r2).status, 200);
  EXPECT_EQ(relay.read(id, r1).status, 401);
  EXPECT_EQ(relay.update(id, r1, p1).status, 401);
  auto after = body_json(relay.read(id, r2));
  EXPECT_EQ(after["payload"], payload_json());
  EXPECT_EQ(after["expiration"], codec::format_timestamp(kStart + 3600));
}

TEST_F(Binding, OnlyTheBoundRecipientMayRelinquish) {
  EXPECT_EQ(relay.relinquish(id, initiator).status, 401) << "no recipient bound yet";
  ASSERT_EQ(relay.read(id, r1).status, 200);
  EXPECT_EQ(relay.relinquish(id, initiator).status, 401);
  EXPECT_EQ(relay.relinquish(id, stranger).status, 401);
  EXPECT_EQ(relay.read(id, initiator).status, 200);
  EXPECT_EQ(relay.read(id, r2).status, 401) << "R1 still bound";
}

class Rights : public ::testing::Test {
 protected:
  RelayHarness relay;
  std::string initiator = fresh_uuid(), r1 = fresh_uuid();
  std::string make(const std::string& rights) { return relay.create_id(initiator, create_body(rights)); }
};

TEST_F(Rights, WithoutWriteNobodyUpdates) {
  auto id = make("RD");
  ASSERT_EQ(relay.read(id, r1).status, 200);
  EXPECT_EQ(relay.update(id, initiator, {{"payload", payload_json()}}).status, 401);
  EXPECT_EQ(relay.update(id, r1, {{"payload", payload_json()}}).status, 401);
}

TEST_F(Rights, WithoutDeleteNobodyDeletes) {
  auto id = make("RW");
  EXPECT_EQ(relay.remove(id, initiator).status, 401);
  EXPECT_EQ(relay.read(id, initiator).status, 200);
}

TEST_F(Rights, WithoutReadNobodyReadsOrBinds) {
  auto id = make("WD");
  EXPECT_EQ(relay.read(id, initiator).status, 401);
  EXPECT_EQ(relay.read(id, r1).status, 401);
  EXPECT_EQ(relay.update(id, r1, {{"payload", payload_json()}}).status, 401) << "R1 must not be bound";
}

TEST_F(Rights, MalformedRightsRefused) {
  for (const char* rights : {"", "X", "rw", "RRW", "RWDX"}) {
    EXPECT_EQ(relay.create(initiator, create_body(std::string(rights))).status, 400) << rights;
  }
  for (const char* rights : {"R", "DWR", "WD", "RWD"}) {
    EXPECT_EQ(relay.create(initiator, create_body(std::string(rights))).status, 200) << rights;
  }
}

}  // namespace
}  // namespace tigress::relay::testing
