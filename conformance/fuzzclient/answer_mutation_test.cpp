// The answer mutation engine: draws are a function of the seed and the answer's shape, each kind
// changes exactly what it names (checked by decoding the result, not by re-running the engine),
// and descriptors survive the reproducer's JSON.
#include "conformance/fuzzclient/answer_mutation.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "reference/codec/base64.hpp"

namespace tigress::fuzz::client {
namespace {

using Json = nlohmann::json;
using Kind = AnswerMutationKind;

// IV (12 bytes 0x01), ciphertext (5 bytes 0xfb: base64 '+' and '/' appear), tag (16 bytes 0xff).
Bytes sealed_bytes() {
  Bytes bytes(12, 0x01);
  bytes.insert(bytes.end(), 5, 0xfb);
  bytes.insert(bytes.end(), 16, 0xff);
  return bytes;
}

relay::Response read_answer() {
  relay::Response r;
  r.status = 200;
  r.set_header("Content-Type", "application/json");
  r.set_header("Mailbox-Request-ID", "0b7e1a52-3f0c-4d5e-8a9b-1c2d3e4f5a6b");
  r.body = Json{{"payload", {{"type", "AEAD_AES_128_GCM"}, {"data", codec::base64_encode(sealed_bytes())}}},
                {"displayInformation",
                 {{"title", "Car key"}, {"description", "d"}, {"imageURL", "https://e.example/i.png"}}},
                {"expiration", "2030-01-01T00:00:00Z"}}
               .dump();
  return r;
}

relay::Response create_answer() {
  relay::Response r;
  r.status = 200;
  r.set_header("Content-Type", "application/json");
  r.body =
      R"({"urlLink":"https://127.0.0.1:1/v1/m/0b7e1a52-3f0c-4d5e-8a9b-1c2d3e4f5a6b","isPushNotificationSupported":false})";
  return r;
}

Bytes data_of(const relay::Response& r) {
  const Json body = Json::parse(r.body);
  auto decoded = codec::base64_decode_lenient(body["payload"]["data"].get<std::string>());
  EXPECT_TRUE(decoded.ok());
  return decoded ? *decoded : Bytes{};
}

int differing_bits(const Bytes& a, const Bytes& b) {
  int bits = 0;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) bits += __builtin_popcount(a[i] ^ b[i]);
  return bits;
}

AnswerMutation make(Kind kind, std::string where = "", std::string value = "", std::int64_t amount = 0) {
  AnswerMutation m;
  m.kind = kind;
  m.where = std::move(where);
  m.value = std::move(value);
  m.amount = amount;
  return m;
}

relay::Response applied(const AnswerMutation& m, bool expect_change = true) {
  relay::Response r = read_answer();
  EXPECT_EQ(apply_mutation(m, r), expect_change) << describe(m);
  return r;
}

TEST(AnswerMutation, DrawsDependOnlyOnTheSeedAndTheAnswer) {
  const auto draws = [](std::uint64_t seed, const relay::Response& answer) {
    std::mt19937_64 rng(seed);
    std::vector<AnswerMutation> out;
    for (int i = 0; i < 300; ++i) out.push_back(draw_mutation(answer, rng));
    return out;
  };
  EXPECT_EQ(draws(7, read_answer()), draws(7, read_answer()));
  EXPECT_NE(draws(7, read_answer()), draws(8, read_answer()));
  EXPECT_NE(draws(7, read_answer()), draws(7, create_answer()));
}

TEST(AnswerMutation, EveryClassIsDrawnAndAeadOnlyWherePayloadIs) {
  std::mt19937_64 rng(1);
  std::set<AnswerMutationClass> on_read, on_create, on_text;
  relay::Response text = read_answer();
  text.body = "not json";
  for (int i = 0; i < 2000; ++i) {
    on_read.insert(class_of(draw_mutation(read_answer(), rng).kind));
    on_create.insert(class_of(draw_mutation(create_answer(), rng).kind));
    on_text.insert(class_of(draw_mutation(text, rng).kind));
  }
  EXPECT_EQ(on_read.size(), kAnswerMutationClassCount);
  EXPECT_EQ(on_create.size(), kAnswerMutationClassCount - 1);
  EXPECT_EQ(on_create.count(AnswerMutationClass::kAead), 0u);
  // A body that is not JSON takes only the byte-level classes.
  EXPECT_EQ(on_text, (std::set<AnswerMutationClass>{AnswerMutationClass::kHeader, AnswerMutationClass::kStatus,
                                                    AnswerMutationClass::kBody}));
}

TEST(AnswerMutation, MostDrawsOnAReadAnswerChangeIt) {
  std::mt19937_64 rng(3);
  int changed = 0;
  for (int i = 0; i < 500; ++i) {
    relay::Response answer = read_answer();
    const std::string before = answer.body;
    const int status = answer.status;
    if (apply_mutation(draw_mutation(answer, rng), answer)) {
      ++changed;
      EXPECT_TRUE(answer.body != before || answer.status != status || answer.headers != read_answer().headers);
    }
  }
  EXPECT_GT(changed, 400);
}

TEST(AnswerMutation, JsonStructureKinds) {
  const Json removed = Json::parse(applied(make(Kind::kRemoveMember, "/payload/type")).body);
  EXPECT_FALSE(removed["payload"].contains("type"));
  EXPECT_TRUE(removed["payload"].contains("data"));

  const relay::Response duplicated = applied(make(Kind::kDuplicateMember, "/payload/data", "\"x\""));
  const auto first = duplicated.body.find("\"data\"");
  ASSERT_NE(first, std::string::npos);
  EXPECT_NE(duplicated.body.find("\"data\"", first + 1), std::string::npos) << duplicated.body;
  EXPECT_EQ(Json::parse(duplicated.body)["payload"]["data"], "x");  // a last-wins parser sees the duplicate

  const Json added = Json::parse(applied(make(Kind::kAddMember, "/displayInformation", "[1]")).body);
  EXPECT_EQ(added["displayInformation"]["x-fuzz"], Json::array({1}));

  EXPECT_EQ(applied(make(Kind::kReplaceRoot, "", "[]")).body, "[]");
}

TEST(AnswerMutation, RetypeAndSizes) {
  EXPECT_EQ(Json::parse(applied(make(Kind::kRetype, "/expiration", "1")).body)["expiration"], 1);
  EXPECT_TRUE(Json::parse(applied(make(Kind::kRetype, "/payload", "null")).body)["payload"].is_null());
  applied(make(Kind::kRetype, "/payload/type", "\"AEAD_AES_128_GCM\""), /*expect_change=*/false);

  const Json huge = Json::parse(applied(make(Kind::kHugeString, "/payload/data", "", 65536)).body);
  EXPECT_EQ(huge["payload"]["data"].get<std::string>(), std::string(65536, 'A'));

  const relay::Response deep = applied(make(Kind::kDeepNesting, "/displayInformation/title", "arrays", 600));
  std::size_t depth = 0, deepest = 0;
  for (char c : deep.body) {
    if (c == '[' || c == '{') deepest = std::max(deepest, ++depth);
    if (c == ']' || c == '}') --depth;
  }
  EXPECT_EQ(deepest, 602u);  // the root, displayInformation, then 600 arrays
  EXPECT_FALSE(Json::parse(deep.body, nullptr, false).is_discarded());
}

// Stacked mutations draw from an answer already nested 1,500 deep: a pointer per level is
// quadratic in the depth (20,000 levels cost gigabytes), so the walk stops early. Deeper answers
// overflow the stack of nlohmann's recursive copy under AddressSanitizer.
TEST(AnswerMutation, StackingOnADeeplyNestedAnswerStaysCheap) {
  relay::Response deep = applied(make(Kind::kDeepNesting, "/displayInformation", "objects", 1500));
  // The work of a draw is the walk over the answer's places: a walk that followed all 1,500
  // levels would offer 1,500 places and ~1.1 million pointer tokens (a pointer per level, each as
  // long as its depth, quadratic). Bounded, it adds no more than the walk's depth limit of places,
  // each no longer than that limit, whatever the mutation stacked on top.
  constexpr std::size_t kWalkDepth = 32;
  const std::size_t shallow = mutation_sites(Json::parse(read_answer().body)).size();
  const auto check_walk = [&](const relay::Response& answer) {
    const Json document = Json::parse(answer.body, nullptr, false);
    if (document.is_discarded()) return;  // not JSON: no walk at all
    std::size_t tokens = 0;
    for (const auto& site : mutation_sites(document)) {
      const std::string text = site.to_string();
      const auto depth = static_cast<std::size_t>(std::count(text.begin(), text.end(), '/'));
      EXPECT_LE(depth, kWalkDepth + 1) << text.substr(0, 80);
      tokens += depth;
    }
    EXPECT_LE(tokens, (shallow + 3 * kWalkDepth) * (kWalkDepth + 1));
  };
  const auto deep_sites = mutation_sites(Json::parse(deep.body, nullptr, false)).size();
  EXPECT_GT(deep_sites, shallow);                   // the nesting is walked into ...
  EXPECT_LE(deep_sites, shallow + kWalkDepth + 1);  // ... but not all 1,500 levels of it
  check_walk(deep);
  std::mt19937_64 rng(5);
  for (int i = 0; i < 20; ++i) {
    relay::Response answer = deep;
    apply_mutation(draw_mutation(answer, rng), answer);
    check_walk(answer);
  }
}

TEST(AnswerMutation, HeadersAndStatus) {
  const relay::Response dropped = applied(make(Kind::kDropHeader, "content-type"));
  EXPECT_EQ(dropped.header("Content-Type"), nullptr);
  applied(make(Kind::kDropHeader, "X-Absent"), /*expect_change=*/false);
  const relay::Response set = applied(make(Kind::kSetHeader, "Content-Type", "text/plain"));
  ASSERT_NE(set.header("Content-Type"), nullptr);
  EXPECT_EQ(*set.header("Content-Type"), "text/plain");
  EXPECT_EQ(set.headers.count("Content-Type"), 1u);
  EXPECT_EQ(applied(make(Kind::kAddHeader, "Mailbox-Request-ID", "x")).headers.count("mailbox-request-id"), 2u);
  EXPECT_EQ(applied(make(Kind::kSetStatus, "", "", 503)).status, 503);
  applied(make(Kind::kSetStatus, "", "", 200), /*expect_change=*/false);
}

TEST(AnswerMutation, BodyBytesAndEncodings) {
  EXPECT_EQ(applied(make(Kind::kTruncate, "", "", 10)).body, read_answer().body.substr(0, 10));
  AnswerMutation pad = make(Kind::kPad, "", "", 0);
  pad.repeat = 100;
  EXPECT_EQ(applied(pad).body, read_answer().body + std::string(100, ' '));

  const relay::Response escaped = applied(make(Kind::kEscapeStrings));
  EXPECT_NE(escaped.body.find("\\u0070\\u0061"), std::string::npos);  // "pa" of "payload"
  EXPECT_EQ(Json::parse(escaped.body), Json::parse(read_answer().body));

  EXPECT_EQ(applied(make(Kind::kByteOrderMark)).body.rfind("\xef\xbb\xbf{", 0), 0u);
  const relay::Response invalid = applied(make(Kind::kInvalidUtf8, "", "", 0));
  EXPECT_EQ(invalid.body.substr(0, 3), "{\"\x80");

  const std::string standard = codec::base64_encode(sealed_bytes());
  ASSERT_NE(standard.find_first_of("+/"), std::string::npos);
  const relay::Response url = applied(make(Kind::kDataEncoding, "", "base64url"));
  const std::string url_data = Json::parse(url.body)["payload"]["data"];
  EXPECT_EQ(url_data.find_first_of("+/"), std::string::npos);
  EXPECT_EQ(data_of(url), sealed_bytes());
  const std::string wrapped = Json::parse(applied(make(Kind::kDataEncoding, "", "wrapped")).body)["payload"]["data"];
  EXPECT_NE(wrapped.find("\r\n"), std::string::npos);
}

TEST(AnswerMutation, AeadFieldsFlipOneBitInTheNamedPart) {
  const Bytes original = sealed_bytes();
  for (const char* part : {"iv", "ciphertext", "tag"}) {
    for (std::int64_t bit : {0, 7, 95, 4095}) {
      const Bytes flipped = data_of(applied(make(Kind::kFlipBit, part, "", bit)));
      ASSERT_EQ(flipped.size(), original.size());
      EXPECT_EQ(differing_bits(flipped, original), 1) << part << " " << bit;
      std::size_t changed = 0;
      while (flipped[changed] == original[changed]) ++changed;
      const std::string p = part;
      const std::size_t begin = p == "iv" ? 0 : p == "ciphertext" ? 12 : 17;
      const std::size_t end = p == "iv" ? 12 : p == "ciphertext" ? 17 : original.size();
      EXPECT_TRUE(changed >= begin && changed < end) << part << " changed byte " << changed;
    }
  }
  EXPECT_EQ(data_of(applied(make(Kind::kTruncateData, "", "", 11))).size(), 11u);
  EXPECT_EQ(Json::parse(applied(make(Kind::kSetType, "", "none")).body)["payload"]["type"], "none");
  relay::Response create = create_answer();
  EXPECT_FALSE(apply_mutation(make(Kind::kFlipBit, "iv", "", 1), create));
  EXPECT_EQ(create.body, create_answer().body);
}

TEST(AnswerMutation, NothingToChangeLeavesTheAnswerAlone) {
  for (const AnswerMutation& m : {make(Kind::kRemoveMember, "/absent"), make(Kind::kRetype, "/payload/absent", "1"),
                                  make(Kind::kRetype, "not-a-pointer", "1"), make(Kind::kRemoveMember, "/~9"),
                                  make(Kind::kTruncate, "", "", 1 << 20)}) {
    relay::Response r = read_answer();
    EXPECT_FALSE(apply_mutation(m, r)) << describe(m);
    EXPECT_EQ(r.body, read_answer().body);
  }
}

TEST(AnswerMutation, DescriptorsRoundTripThroughJson) {
  std::mt19937_64 rng(11);
  std::set<Kind> kinds;
  for (int i = 0; i < 3000; ++i) {
    const AnswerMutation m = draw_mutation(i % 2 ? read_answer() : create_answer(), rng);
    kinds.insert(m.kind);
    auto back = mutation_from_json(Json::parse(to_json(m).dump()));
    ASSERT_TRUE(back.ok()) << describe(m);
    EXPECT_EQ(*back, m);
  }
  EXPECT_EQ(kinds.size(), kAnswerMutationKindCount);
  EXPECT_FALSE(mutation_from_json(Json{{"kind", "no-such-kind"}}).ok());
  EXPECT_FALSE(mutation_from_json(Json{{"kind", "retype"}, {"amount", "1"}}).ok());
  EXPECT_FALSE(mutation_from_json(Json::array()).ok());
}

}  // namespace
}  // namespace tigress::fuzz::client
