// The instrumented relay behaves like the reference relay until a misbehaviour is armed, then
// does exactly what the catalogue entry says, and records every request byte for byte.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness/adversary/instrumented_relay.hpp"
#include "harness/wire_client.hpp"
#include "reference/codec/base64.hpp"
#include "reference/codec/uuid.hpp"

namespace tigress::harness::adversary {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class RelayFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    RelayTuning tuning;
    tuning.stall = 1500ms;
    tuning.oversized_bytes = 64 * 1024;
    auto started = InstrumentedRelay::start(tuning);
    ASSERT_TRUE(started.ok()) << started.error().message();
    relay_ = std::move(*started);
    ca_ =
        (std::filesystem::temp_directory_path() / ("adversary-ca-" + codec::generate_uuid_v4()->to_string())).string();
    std::ofstream(ca_) << relay_->ca_pem();
    auto target = parse_target(relay_->base_url());
    ASSERT_TRUE(target.ok());
    ClientLimits limits;
    limits.timeout = 5s;
    client_ = std::make_unique<WireClient>(*target, TlsOptions{ca_, false, 0, 0}, limits);
  }
  void TearDown() override { std::remove(ca_.c_str()); }

  Result<HttpResponse> call(const std::string& method, const std::string& target, const std::string& claim,
                            const std::string& body, const std::string& request_id) {
    HttpRequest request;
    request.method = method;
    request.target = target;
    request.headers = {{"Mailbox-Device-Claim", claim}, {"Mailbox-Request-ID", request_id}};
    if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
    request.body = body;
    return client_->send(request);
  }

  // Creates a mailbox with a 40-byte payload; returns its path.
  std::string create(const std::string& claim) {
    const Bytes data(40, 0x5A);
    const json body{{"payload", {{"type", "AEAD_AES_128_GCM"}, {"data", codec::base64_encode(data)}}},
                    {"displayInformation", {{"title", "t"}, {"description", "d"}, {"imageURL", ""}}}};
    auto response = call("POST", "/v1/m", claim, body.dump(), codec::generate_uuid_v4()->to_string());
    EXPECT_TRUE(response.ok());
    if (!response) return {};
    EXPECT_EQ(response->status, 200) << response->body;
    const auto link = json::parse(response->body, nullptr, false).value("urlLink", std::string());
    return link.substr(link.find("/v1/m/"));
  }

  Bytes read_data(const HttpResponse& response) {
    const auto document = json::parse(response.body, nullptr, false);
    auto data = codec::base64_decode(document["payload"]["data"].get<std::string>());
    return data ? *data : Bytes{};
  }

  std::unique_ptr<InstrumentedRelay> relay_;
  std::unique_ptr<WireClient> client_;
  std::string ca_;
};

TEST(MisbehaviourCatalogue, NamesAreUniqueAndFound) {
  std::set<std::string_view> names;
  for (const auto& entry : misbehaviour_catalogue()) {
    EXPECT_TRUE(names.insert(entry.name).second) << entry.name;
    EXPECT_EQ(find_misbehaviour(entry.name), &entry);
    EXPECT_FALSE(entry.description.empty());
  }
  EXPECT_GE(names.size(), 15u);
  EXPECT_EQ(find_misbehaviour("no-such-trick"), nullptr);
}

TEST_F(RelayFixture, UnknownMisbehaviourIsRefused) { EXPECT_FALSE(relay_->arm("no-such-trick").ok()); }

TEST_F(RelayFixture, ServesTheReferenceRelayAndRecordsRequests) {
  const std::string path = create(codec::generate_uuid_v4()->to_string());
  const std::string reader = codec::generate_uuid_v4()->to_string();
  const std::string id = codec::generate_uuid_v4()->to_string();
  auto response = call("POST", path, reader, "", id);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->header("Mailbox-Request-ID"), id);
  EXPECT_EQ(read_data(*response), Bytes(40, 0x5A));
  const auto records = relay_->exchanges();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].operation, Operation::kCreate);
  EXPECT_EQ(records[1].operation, Operation::kRead);
  EXPECT_EQ(records[1].target, path);
  ASSERT_NE(records[1].header("mailbox-device-claim"), nullptr);
  EXPECT_EQ(*records[1].header("mailbox-device-claim"), reader);
  EXPECT_NE(records[1].raw.find("POST " + path + " HTTP/1.1\r\n"), std::string::npos);
}

TEST_F(RelayFixture, TamperTricksChangeExactlyOneBit) {
  const std::string path = create(codec::generate_uuid_v4()->to_string());
  const std::string reader = codec::generate_uuid_v4()->to_string();
  const Bytes original(40, 0x5A);
  for (const char* name : {"tamper-ciphertext", "tamper-tag", "tamper-iv"}) {
    relay_->disarm_all();
    ASSERT_TRUE(relay_->arm(name).ok());
    auto response = call("POST", path, reader, "", codec::generate_uuid_v4()->to_string());
    ASSERT_TRUE(response.ok());
    const Bytes data = read_data(*response);
    ASSERT_EQ(data.size(), original.size()) << name;
    int differing_bits = 0;
    for (std::size_t i = 0; i < data.size(); ++i) differing_bits += __builtin_popcount(data[i] ^ original[i]);
    EXPECT_EQ(differing_bits, 1) << name;
  }
}

TEST_F(RelayFixture, EchoTricks) {
  const std::string path = create(codec::generate_uuid_v4()->to_string());
  const std::string reader = codec::generate_uuid_v4()->to_string();
  const std::string id = codec::generate_uuid_v4()->to_string();
  ASSERT_TRUE(relay_->arm("mismatched-request-id").ok());
  auto mismatched = call("POST", path, reader, "", id);
  ASSERT_TRUE(mismatched.ok());
  ASSERT_TRUE(mismatched->header("Mailbox-Request-ID").has_value());
  EXPECT_NE(*mismatched->header("Mailbox-Request-ID"), id);
  relay_->disarm_all();
  ASSERT_TRUE(relay_->arm("missing-echo").ok());
  auto missing = call("POST", path, reader, "", id);
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->header_count("Mailbox-Request-ID"), 0u);
}

TEST_F(RelayFixture, EchoTricksOnARequestWithoutIdChangeNothingAndAreNotRecorded) {
  const std::string path = create(codec::generate_uuid_v4()->to_string());
  const std::string reader = codec::generate_uuid_v4()->to_string();
  for (const char* name : {"mismatched-request-id", "missing-echo"}) {
    relay_->disarm_all();
    ASSERT_TRUE(relay_->arm(name).ok());
    HttpRequest request;
    request.method = "POST";
    request.target = path;
    request.headers = {{"Mailbox-Device-Claim", reader}};
    auto response = client_->send(request);
    ASSERT_TRUE(response.ok());
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->header_count("Mailbox-Request-ID"), 0u) << name;
    EXPECT_TRUE(relay_->exchanges().back().misbehaviour.empty()) << name << " labelled an authentic answer";
    // Still armed: the next Read with an ID is the one it acts on.
    auto with_id = call("POST", path, reader, "", codec::generate_uuid_v4()->to_string());
    ASSERT_TRUE(with_id.ok());
    EXPECT_EQ(relay_->exchanges().back().misbehaviour, name);
  }
}

TEST_F(RelayFixture, TamperingKeepsTheUploadedSpelling) {
  // 40 octets: base64url without padding is 54 characters, and 0x5A... gives no '-' or '_', so
  // pick octets whose encoding shows the URL-safe alphabet.
  Bytes octets(40);
  for (std::size_t i = 0; i < octets.size(); ++i) octets[i] = static_cast<std::uint8_t>(0xFB + i);
  const std::string spelled = codec::base64url_encode_unpadded(octets);
  ASSERT_NE(spelled.find_first_of("-_"), std::string::npos);
  const std::string claim = codec::generate_uuid_v4()->to_string();
  const json body{{"payload", {{"type", "AEAD_AES_128_GCM"}, {"data", spelled}}},
                  {"displayInformation", {{"title", "t"}, {"description", "d"}, {"imageURL", ""}}}};
  auto created = call("POST", "/v1/m", claim, body.dump(), codec::generate_uuid_v4()->to_string());
  ASSERT_TRUE(created.ok());
  ASSERT_EQ(created->status, 200) << created->body;
  const auto link = json::parse(created->body, nullptr, false).value("urlLink", std::string());
  const std::string path = link.substr(link.find("/v1/m/"));
  ASSERT_TRUE(relay_->arm("tamper-tag").ok());
  auto response =
      call("POST", path, codec::generate_uuid_v4()->to_string(), "", codec::generate_uuid_v4()->to_string());
  ASSERT_TRUE(response.ok());
  const std::string data = json::parse(response->body, nullptr, false)["payload"]["data"].get<std::string>();
  EXPECT_EQ(data.size(), spelled.size()) << "still unpadded";
  EXPECT_EQ(data.find('='), std::string::npos);
  auto decoded = codec::base64_decode_lenient(data);
  ASSERT_TRUE(decoded.ok());
  int differing_bits = 0;
  for (std::size_t i = 0; i < octets.size(); ++i) differing_bits += __builtin_popcount((*decoded)[i] ^ octets[i]);
  EXPECT_EQ(differing_bits, 1);
  EXPECT_EQ(relay_->exchanges().back().misbehaviour, "tamper-tag");
}

TEST_F(RelayFixture, RedirectsPointUnderThePrefixAndTheFollowerIsServed) {
  const std::string path = create(codec::generate_uuid_v4()->to_string());
  const std::string reader = codec::generate_uuid_v4()->to_string();
  ASSERT_TRUE(relay_->arm("redirect-307-other-origin").ok());
  auto redirected = call("POST", path, reader, "", codec::generate_uuid_v4()->to_string());
  ASSERT_TRUE(redirected.ok());
  EXPECT_EQ(redirected->status, 307);
  const std::string port = relay_->base_url().substr(relay_->base_url().rfind(':') + 1);
  EXPECT_EQ(redirected->header("Location").value_or(""), "https://localhost:" + port + "/redirected" + path);
  auto follow = call("POST", "/redirected" + path, reader, "", codec::generate_uuid_v4()->to_string());
  ASSERT_TRUE(follow.ok());
  EXPECT_EQ(follow->status, 200) << "a follower is served, never redirected again";
  EXPECT_TRUE(relay_->exchanges().back().misbehaviour.empty());
}

TEST_F(RelayFixture, DropOnceProcessesButDoesNotAnswerThenRecovers) {
  ASSERT_TRUE(relay_->arm("drop-create-response-once").ok());
  const std::string claim = codec::generate_uuid_v4()->to_string();
  const std::string id = codec::generate_uuid_v4()->to_string();
  const json body{{"payload", {{"type", "AEAD_AES_128_GCM"}, {"data", codec::base64_encode(Bytes(40, 1))}}},
                  {"displayInformation", {{"title", "t"}, {"description", "d"}, {"imageURL", ""}}}};
  EXPECT_FALSE(call("POST", "/v1/m", claim, body.dump(), id).ok());
  auto retry = call("POST", "/v1/m", claim, body.dump(), id);
  ASSERT_TRUE(retry.ok());
  EXPECT_EQ(retry->status, 201) << "the dropped create was processed, so the retry is a duplicate";
  const auto records = relay_->exchanges();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].status, 0);
  EXPECT_EQ(records[0].misbehaviour, "drop-create-response-once");
  EXPECT_TRUE(records[1].misbehaviour.empty());
}

TEST_F(RelayFixture, ContentTypeMalformedOversizedAndErrors) {
  const std::string path = create(codec::generate_uuid_v4()->to_string());
  const std::string reader = codec::generate_uuid_v4()->to_string();
  auto read = [&] { return call("POST", path, reader, "", codec::generate_uuid_v4()->to_string()); };
  ASSERT_TRUE(relay_->arm("wrong-content-type").ok());
  auto typed = read();
  ASSERT_TRUE(typed.ok());
  EXPECT_EQ(typed->header("Content-Type").value_or(""), "text/plain; charset=utf-8");
  relay_->disarm_all();
  ASSERT_TRUE(relay_->arm("malformed-json").ok());
  auto malformed = read();
  ASSERT_TRUE(malformed.ok());
  EXPECT_TRUE(json::parse(malformed->body, nullptr, false).is_discarded());
  relay_->disarm_all();
  ASSERT_TRUE(relay_->arm("oversized-response").ok());
  auto big = read();
  ASSERT_TRUE(big.ok());
  EXPECT_GT(big->body.size(), 64u * 1024);
  relay_->disarm_all();
  ASSERT_TRUE(relay_->arm("force-401").ok());
  auto refused = read();
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->status, 401);
  relay_->disarm_all();
  ASSERT_TRUE(relay_->arm("force-404-expired").ok());
  auto expired = read();
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(expired->status, 404);
}

TEST_F(RelayFixture, SlowResponseStallsForTheTunedTime) {
  ASSERT_TRUE(relay_->arm("slow-response").ok());
  const auto start = std::chrono::steady_clock::now();
  const std::string path = create(codec::generate_uuid_v4()->to_string());
  EXPECT_FALSE(path.empty());
  EXPECT_GE(std::chrono::steady_clock::now() - start, 1400ms);
}

}  // namespace
}  // namespace tigress::harness::adversary
