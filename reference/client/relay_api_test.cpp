// RelayApi against the capture relay: the client-side rules of section 5.1 (echo check, one
// retry with the same ID and claim, 201 duplicates), TLS verification and response limits.
#include "reference/client/relay_api.hpp"

#include <gtest/gtest.h>

#include "reference/client/client_test_support.hpp"
#include "reference/codec/timestamp.hpp"
#include "reference/crypto/aead.hpp"

namespace tigress::client {
namespace {

using testing::CaptureRelay;
using testing::Fault;
using testing::Recorded;
using testing::TempDir;

// Long enough that a loaded sanitizer build never times out by accident, well below kStallTime.
constexpr auto kShortTimeout = std::chrono::milliseconds(1000);

class RelayApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(relay_.ok());
    write_ca();
  }

  void write_ca() { testing::write_file(dir_.file("ca.pem"), testing::test_tls().cert_pem); }

  std::unique_ptr<RelayApi> api(ApiOptions options = {}) {
    if (options.ca_file.empty() && !options.insecure) options.ca_file = dir_.file("ca.pem");
    if (options.timeout == std::chrono::milliseconds(10'000)) options.timeout = kShortTimeout;
    auto origin = parse_relay_origin(relay_.url());
    EXPECT_TRUE(origin.ok());
    auto made = RelayApi::connect(*origin, std::move(options));
    EXPECT_TRUE(made.ok()) << (made ? "" : made.error().message());
    return made ? std::move(*made) : nullptr;
  }

  static codec::Uuid fresh_uuid() { return *codec::generate_uuid_v4(); }

  static codec::CreateMailboxRequest create_body(const std::string& data = "AAAA") {
    codec::CreateMailboxRequest body;
    body.payload = {"AEAD_AES_128_GCM", data};
    body.display_information = {"Test", "", ""};
    body.mailbox_configuration = codec::MailboxConfiguration{*codec::parse_access_rights("RWD"),
                                                             static_cast<codec::UnixSeconds>(std::time(nullptr)) + 600};
    return body;
  }

  // Creates a mailbox under `claim` and returns its address.
  static Result<codec::ShareUrl> created_mailbox(RelayApi& client, const codec::Uuid& claim) {
    auto created = client.create(create_body(), claim);
    if (!created) return created.error();
    return codec::parse_mailbox_url(created->body.url_link);
  }

  std::vector<Recorded> requests_with(const std::string& method) const {
    std::vector<Recorded> out;
    for (auto& r : relay_.requests()) {
      if (r.method == method) out.push_back(r);
    }
    return out;
  }

  // Fault `fault` on the first `count` requests of `method`, none elsewhere.
  void fault_first(const std::string& method, Fault fault, int count = 1) {
    auto seen = std::make_shared<int>(0);
    relay_.set_fault([=](const Recorded& r) {
      if (r.method != method || (*seen)++ >= count) return Fault::kNone;
      return fault;
    });
  }

  TempDir dir_;
  CaptureRelay relay_;
};

TEST_F(RelayApiTest, CreateSendsFreshIdsClaimAndJsonContentType) {
  auto client = api();
  const codec::Uuid claim = fresh_uuid();
  auto first = client->create(create_body(), claim);
  ASSERT_TRUE(first.ok()) << first.error().message();
  auto second = client->create(create_body(), claim);
  ASSERT_TRUE(second.ok()) << second.error().message();
  EXPECT_EQ(first->status, 200);
  EXPECT_FALSE(first->duplicate);
  EXPECT_NE(first->body.url_link, second->body.url_link);

  const auto creates = requests_with("POST");
  ASSERT_EQ(creates.size(), 2u);
  for (const auto& r : creates) {
    EXPECT_EQ(r.target, "/v1/m");
    EXPECT_EQ(r.header("Mailbox-Device-Claim"), claim.to_string());
    EXPECT_EQ(r.header("Content-Type"), "application/json");
    auto id = codec::parse_uuid_v4(r.header("Mailbox-Request-ID"));
    EXPECT_TRUE(id.ok()) << "MBX-RID-02: request ID must be a UUID";
  }
  EXPECT_NE(creates[0].header("Mailbox-Request-ID"), creates[1].header("Mailbox-Request-ID"));
  EXPECT_EQ(first->request_id, creates[0].header("Mailbox-Request-ID"));
}

TEST_F(RelayApiTest, WrongEchoIsAnErrorAndTheResultIsNotUsed) {
  relay_.set_fault([](const Recorded&) { return Fault::kWrongEcho; });
  auto client = api();
  auto created = client->create(create_body(), fresh_uuid());
  ASSERT_FALSE(created.ok());
  EXPECT_NE(created.error().message().find("echo mismatch"), std::string::npos) << created.error().message();
  EXPECT_EQ(requests_with("POST").size(), 1u) << "a mismatch is not a lost response: no retry";
}

TEST_F(RelayApiTest, MissingEchoOnSuccessIsAnError) {
  auto client = api();
  const codec::Uuid claim = fresh_uuid();
  auto mailbox = created_mailbox(*client, claim);
  ASSERT_TRUE(mailbox.ok()) << mailbox.error().message();
  relay_.set_fault([](const Recorded&) { return Fault::kNoEcho; });
  auto read = client->read(*mailbox, claim);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message().find("without echoing"), std::string::npos) << read.error().message();
}

TEST_F(RelayApiTest, LostCreateResponseIsRetriedOnceWithSameIdAndClaim) {
  fault_first("POST", Fault::kStall);
  auto client = api();
  const codec::Uuid claim = fresh_uuid();
  auto created = client->create(create_body(), claim);
  ASSERT_TRUE(created.ok()) << created.error().message();
  EXPECT_EQ(created->attempts, 2);
  EXPECT_EQ(created->status, 201);
  EXPECT_TRUE(created->duplicate);

  const auto creates = requests_with("POST");
  ASSERT_EQ(creates.size(), 2u);
  EXPECT_EQ(creates[0].header("Mailbox-Request-ID"), creates[1].header("Mailbox-Request-ID"));
  EXPECT_EQ(creates[0].header("Mailbox-Device-Claim"), creates[1].header("Mailbox-Device-Claim"));
  EXPECT_EQ(creates[0].body, creates[1].body);

  // AMB-03: the 201 repeated the original urlLink, so the one mailbox is reachable.
  auto mailbox = codec::parse_mailbox_url(created->body.url_link);
  ASSERT_TRUE(mailbox.ok());
  relay_.set_fault(nullptr);
  auto read = client->read(*mailbox, claim);
  ASSERT_TRUE(read.ok()) << read.error().message();
  EXPECT_EQ(read->body.payload.data, "AAAA");
}

TEST_F(RelayApiTest, LostUpdateResponseIsAcknowledgedAsDuplicate) {
  auto client = api();
  const codec::Uuid claim = fresh_uuid();
  auto mailbox = created_mailbox(*client, claim);
  ASSERT_TRUE(mailbox.ok()) << mailbox.error().message();

  fault_first("PUT", Fault::kStall);
  codec::UpdateMailboxRequest update;
  update.payload = {"AEAD_AES_128_GCM", "BBBB"};
  auto updated = client->update(*mailbox, claim, update);
  ASSERT_TRUE(updated.ok()) << updated.error().message();
  EXPECT_TRUE(updated->duplicate);
  const auto puts = requests_with("PUT");
  ASSERT_EQ(puts.size(), 2u);
  EXPECT_EQ(puts[0].header("Mailbox-Request-ID"), puts[1].header("Mailbox-Request-ID"));
  EXPECT_EQ(puts[0].header("Mailbox-Device-Claim"), claim.to_string());
  EXPECT_EQ(puts[1].header("Mailbox-Device-Claim"), claim.to_string());
}

TEST_F(RelayApiTest, LostDeleteResponseCountsAsDeleted) {
  auto client = api();
  const codec::Uuid claim = fresh_uuid();
  auto mailbox = created_mailbox(*client, claim);
  ASSERT_TRUE(mailbox.ok()) << mailbox.error().message();
  fault_first("DELETE", Fault::kStall);
  auto removed = client->remove(*mailbox, claim);
  ASSERT_TRUE(removed.ok()) << removed.error().message();
  EXPECT_TRUE(removed->duplicate);
  EXPECT_EQ(removed->status, 404) << "AMB-04: the retry finds the mailbox already deleted";
}

TEST_F(RelayApiTest, TwoLostResponsesGiveUpAfterExactlyOneRetry) {
  fault_first("POST", Fault::kStall, 2);
  auto client = api();
  auto created = client->create(create_body(), fresh_uuid());
  ASSERT_FALSE(created.ok());
  EXPECT_NE(created.error().message().find("after one retry"), std::string::npos) << created.error().message();
  EXPECT_EQ(requests_with("POST").size(), 2u);
}

TEST_F(RelayApiTest, DuplicateCreateWithoutUrlLinkIsAClearError) {
  // First attempt stalls (processed, answer lost); the 201 to the retry comes without a body.
  auto seen = std::make_shared<int>(0);
  relay_.set_fault([seen](const Recorded& r) {
    if (r.method != "POST") return Fault::kNone;
    return (*seen)++ == 0 ? Fault::kStall : Fault::kStripBody;
  });
  auto client = api();
  auto created = client->create(create_body(), fresh_uuid());
  ASSERT_FALSE(created.ok());
  EXPECT_NE(created.error().message().find("no urlLink"), std::string::npos) << created.error().message();
}

TEST_F(RelayApiTest, DuplicateStatusOnAFirstAttemptIsRefused) {
  fault_first("POST", Fault::kStatus201);
  auto client = api();
  auto created = client->create(create_body(), fresh_uuid());
  ASSERT_FALSE(created.ok());
  EXPECT_NE(created.error().message().find("first attempt"), std::string::npos) << created.error().message();
}

TEST_F(RelayApiTest, ErrorStatusCarriesTheRelayReason) {
  auto client = api();
  auto mailbox = codec::parse_mailbox_url(relay_.url() + "/v1/m/" + fresh_uuid().to_string());
  ASSERT_TRUE(mailbox.ok());
  auto read = client->read(*mailbox, fresh_uuid());
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message().find("404"), std::string::npos) << read.error().message();
}

TEST_F(RelayApiTest, OversizedResponseIsRefused) {
  auto client = api();
  auto mailbox = created_mailbox(*client, fresh_uuid());
  ASSERT_TRUE(mailbox.ok()) << mailbox.error().message();
  relay_.set_fault([](const Recorded&) { return Fault::kHugeBody; });
  auto preview = client->preview(*mailbox);
  ASSERT_FALSE(preview.ok());
  EXPECT_NE(preview.error().message().find("larger than"), std::string::npos) << preview.error().message();
}

TEST_F(RelayApiTest, PreviewCarriesNoTigressHeadersAndKeepsTheVertical) {
  auto client = api();
  auto mailbox = created_mailbox(*client, fresh_uuid());
  ASSERT_TRUE(mailbox.ok()) << mailbox.error().message();
  mailbox->vertical = codec::Vertical::kCar;
  auto preview = client->preview(*mailbox);
  ASSERT_TRUE(preview.ok()) << preview.error().message();
  EXPECT_NE(preview->body.find("og:title"), std::string::npos);
  const auto gets = requests_with("GET");
  ASSERT_EQ(gets.size(), 1u);
  EXPECT_EQ(gets[0].target, "/v1/m/" + mailbox->mailbox_id.to_string() + "?v=c");
  EXPECT_FALSE(gets[0].has_header("Mailbox-Request-ID"));
  EXPECT_FALSE(gets[0].has_header("Mailbox-Device-Claim"));
}

TEST_F(RelayApiTest, UntrustedCertificateIsRefusedUnlessInsecure) {
  // No --ca: the system store does not know the test certificate.
  auto origin = parse_relay_origin(relay_.url());
  ASSERT_TRUE(origin.ok());
  ApiOptions system_store;
  system_store.timeout = kShortTimeout;
  auto strict = RelayApi::connect(*origin, system_store);
  ASSERT_TRUE(strict.ok());
  auto refused = (*strict)->create(create_body(), fresh_uuid());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message().find("not trusted"), std::string::npos) << refused.error().message();
  EXPECT_TRUE(relay_.requests().empty()) << "nothing may be sent over an unverified connection";

  ApiOptions insecure;
  insecure.insecure = true;
  auto lax = api(insecure);
  auto accepted = lax->create(create_body(), fresh_uuid());
  EXPECT_TRUE(accepted.ok());
}

TEST(RelayOrigin, ParsesHostAndPortOnly) {
  auto origin = parse_relay_origin("https://Relay.Example:8443/");
  ASSERT_TRUE(origin.ok());
  EXPECT_EQ(origin->host, "relay.example");
  EXPECT_EQ(origin->port, 8443);
  EXPECT_EQ(origin->to_string(), "https://relay.example:8443");
  EXPECT_EQ(parse_relay_origin("https://relay.example")->port, 443);
  EXPECT_FALSE(parse_relay_origin("http://relay.example").ok());
  EXPECT_FALSE(parse_relay_origin("https://relay.example/v1").ok());
  EXPECT_FALSE(parse_relay_origin("https://relay.example?x").ok());
  EXPECT_FALSE(parse_relay_origin("https://user@relay.example").ok());
  EXPECT_FALSE(parse_relay_origin("").ok());
}

TEST(RelayApiConnect, RejectsUnreadableOrEmptyCaFile) {
  TempDir dir;
  testing::write_file(dir.file("empty.pem"), "not a certificate\n");
  RelayOrigin origin{"127.0.0.1", 9};
  ApiOptions missing;
  missing.ca_file = dir.file("missing.pem");
  EXPECT_FALSE(RelayApi::connect(origin, missing).ok());
  ApiOptions empty;
  empty.ca_file = dir.file("empty.pem");
  EXPECT_FALSE(RelayApi::connect(origin, empty).ok());
  ApiOptions both;
  both.ca_file = dir.file("empty.pem");
  both.insecure = true;
  EXPECT_FALSE(RelayApi::connect(origin, both).ok());
}

}  // namespace
}  // namespace tigress::client
