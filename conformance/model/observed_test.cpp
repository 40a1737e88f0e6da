// The model as the fuzzers' oracle: requests it did not build (unvouched), described from their
// bytes, judged with hand-written answers.
#include "conformance/model/observed.hpp"

#include <gtest/gtest.h>

namespace tigress::model {
namespace {

constexpr const char* kInitiator = "11111111-1111-4111-8111-111111111111";
constexpr const char* kRecipient = "22222222-2222-4222-8222-222222222222";
constexpr const char* kStranger = "33333333-3333-4333-8333-333333333333";
constexpr const char* kId = "0b7e6a8c-3f1d-4e2a-9c4b-8d6f0a1b2c3d";
constexpr const char* kData = "U0VDUkVULVBBWUxPQUQtMDEyMzQ1Njc4OQ==";  // base64, 36 characters

harness::HttpRequest http(std::string method, std::string target, harness::HeaderList headers, std::string body = "") {
  return {std::move(method), std::move(target), std::move(headers), std::move(body)};
}

std::string create_body() {
  return std::string("{\"payload\":{\"type\":\"AEAD_AES_128_GCM\",\"data\":\"") + kData +
         "\"},\"displayInformation\":{\"title\":\"t\",\"description\":\"d\",\"imageURL\":\"https://e/i\"}}";
}

class Oracle : public ::testing::Test {
 protected:
  Oracle() : model_(options()) {}
  static ModelOptions options() {
    ModelOptions o;
    o.max_request_id_bytes = 8;
    o.strict_echo = true;
    return o;
  }

  Outcome send(const harness::HttpRequest& request, int status, harness::HeaderList headers, std::string body = "",
               bool behind_front_end = false) {
    Request described = describe_request(model_, request, request.target, 1000, 1000, behind_front_end);
    return model_.step(described, describe_response(status, headers, std::move(body)));
  }

  void create() {
    const std::string link = std::string("https://relay.test/v1/m/") + kId;
    auto created =
        send(http("POST", "/v1/m", {{"Mailbox-Device-Claim", kInitiator}, {"Mailbox-Request-ID", "c1"}}, create_body()),
             200, {{"Content-Type", "application/json"}, {"Mailbox-Request-ID", "c1"}},
             "{\"urlLink\":\"" + link + "\",\"isPushNotificationSupported\":false}");
    ASSERT_TRUE(created.ok) << created.violation;
    ASSERT_EQ(slot_mailbox_id(model_, 0), kId);
  }

  std::string path() const { return std::string("/v1/m/") + kId; }
  RelayModel model_;
};

TEST_F(Oracle, DescribesFromTheBytes) {
  create();
  const auto request = http("PUT", "/v1/m/" + std::string(kId) + "?x=1",
                            {{"Mailbox-Device-Claim", "{" + std::string(kRecipient) + "}"},
                             {"Mailbox-Request-ID", "a"},
                             {"mailbox-request-id", "b"}},
                            R"({"payload":{"type":"T","data":"D"}})");
  const Request d = describe_request(model_, request, request.target, 5, 6, true);
  EXPECT_EQ(d.op, Op::kUpdate);
  EXPECT_EQ(d.slot, 0);
  EXPECT_EQ(d.claim, kRecipient);  // braces stripped (AMB-57)
  EXPECT_EQ(d.request_id, "");     // repeated: none
  // An empty field line beside a value is a repeat too: the relay sees two and may echo either.
  const auto empty_id_first = http("POST", "/v1/m/" + std::string(kId) + "/relinquish",
                                   {{"Mailbox-Request-ID", ""}, {"Mailbox-Request-ID", "nf-7"}}, "{}");
  EXPECT_EQ(describe_request(model_, empty_id_first, empty_id_first.target, 5, 6, true).request_id, "");
  const auto single = http("POST", "/v1/m/" + std::string(kId) + "/relinquish", {{"Mailbox-Request-ID", "nf-7"}}, "{}");
  EXPECT_EQ(describe_request(model_, single, single.target, 5, 6, true).request_id, "nf-7");
  EXPECT_TRUE(d.body_known);
  EXPECT_EQ(d.payload.data, "D");
  EXPECT_TRUE(d.unvouched);
  EXPECT_EQ(d.sent, 5);
  EXPECT_EQ(
      describe_request(model_, http("GET", "/v1/m/00000000-0000-4000-8000-000000000000", {}), "/v1/m/x", 0, 0, false)
          .slot,
      -1);
  EXPECT_FALSE(describe_request(model_, http("POST", "/v1/m", {}, "{\"payload\":1}"), "/v1/m", 0, 0, false).body_known);
  const auto empty_first = http("POST", path(), {{"Mailbox-Device-Claim", ""}, {"Mailbox-Device-Claim", kRecipient}});
  EXPECT_EQ(describe_request(model_, empty_first, empty_first.target, 0, 0, false).claim, kRecipient);
}

TEST_F(Oracle, AnyRefusalFitsAnUnvouchedRequest) {
  create();
  EXPECT_TRUE(send(http("PUT", path(), {{"Mailbox-Device-Claim", kInitiator}}, "{"), 415, {}).ok);
  EXPECT_TRUE(send(http("POST", path(), {{"Mailbox-Device-Claim", "not-a-uuid"}}), 401, {}).ok);
}

TEST_F(Oracle, SecondRecipientAndServedAfterDelete) {
  create();
  const std::string read_body = std::string("{\"payload\":{\"type\":\"AEAD_AES_128_GCM\",\"data\":\"") + kData +
                                "\"},\"displayInformation\":{\"title\":\"t\",\"description\":\"d\",\"imageURL\":"
                                "\"https://e/i\"},\"expiration\":\"" +
                                format_utc(1000 + 86400) + "\"}";
  ASSERT_TRUE(send(http("POST", path(), {{"Mailbox-Device-Claim", kRecipient}}), 200,
                   {{"Content-Type", "application/json"}}, read_body)
                  .ok);
  const Outcome second = send(http("POST", path(), {{"Mailbox-Device-Claim", kStranger}}), 200,
                              {{"Content-Type", "application/json"}}, read_body);
  EXPECT_FALSE(second.ok);
  EXPECT_EQ(second.rule, "MBX-READ-05") << second.violation;
  ASSERT_TRUE(send(http("DELETE", path(), {{"Mailbox-Device-Claim", kInitiator}, {"Mailbox-Request-ID", "d1"}}), 200,
                   {{"Mailbox-Request-ID", "d1"}})
                  .ok);
  const Outcome after = send(http("GET", path(), {}), 200, {{"Content-Type", "text/html"}}, "<html></html>");
  EXPECT_FALSE(after.ok);
  EXPECT_EQ(after.rule, "MBX-DELETE-05") << after.violation;
}

TEST_F(Oracle, EchoOnEveryApiAnswerUpToTheLimit) {
  const Outcome missing = send(http("GET", "/v2/x", {{"Mailbox-Request-ID", "12345678"}}), 404, {});
  EXPECT_FALSE(missing.ok);
  EXPECT_EQ(missing.rule, "MBX-RID-03");
  EXPECT_TRUE(send(http("GET", "/v2/x", {{"Mailbox-Request-ID", "123456789"}}), 400, {}).ok);  // over the limit
  EXPECT_TRUE(send(http("GET", "/v2/x", {{"Mailbox-Request-ID", "1"}}), 413, {}).ok);          // a front end's
  EXPECT_TRUE(send(http("FOO", "/v1/m", {{"Mailbox-Request-ID", "1"}}), 405, {}, "", true).ok);
  EXPECT_FALSE(send(http("FOO", "/v1/m", {{"Mailbox-Request-ID", "1"}}), 405, {}, "", false).ok);  // no front end
  EXPECT_TRUE(send(http("GET", "/v2/x", {{"Mailbox-Request-ID", "1"}}), 404, {{"Mailbox-Request-ID", "1"}}).ok);
}

TEST_F(Oracle, ServerErrorsAndLeaks) {
  const Outcome failed = send(http("GET", "/", {}), 503, {});
  EXPECT_FALSE(failed.ok);
  EXPECT_EQ(failed.rule, "MBX-GEN-09");
  create();
  const Outcome preview =
      send(http("GET", path(), {}), 200, {{"Content-Type", "text/html"}}, std::string("<p>") + kData + "</p>");
  EXPECT_FALSE(preview.ok);
  EXPECT_EQ(preview.rule, "MBX-PREVIEW-04");
  const Outcome head = send(http("HEAD", path() + "/x", {}), 404, {}, std::string("{\"d\":\"") + kData + "\"}");
  EXPECT_FALSE(head.ok);  // no endpoint, but the path names the mailbox: no leak anywhere
  EXPECT_EQ(head.rule, "MBX-PRIV-02");
  // What the request itself carried may come back.
  EXPECT_TRUE(send(http("PUT", path(), {{"X", kData}}), 400, {}, std::string("bad: ") + kData).ok);
}

}  // namespace
}  // namespace tigress::model
