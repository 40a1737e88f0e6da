// The quick reading must be a strict subset of nlohmann's: whatever it accepts is valid JSON and
// the same document, and everything outside its subset is left to the strict reading.
#include "reference/codec/plain_json.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "reference/codec/strict_json.hpp"

namespace tigress::codec::plain_json {
namespace {

using nlohmann::json;

rc::Gen<std::string> plain_text() {
  return rc::gen::container<std::string>(
      rc::gen::suchThat(rc::gen::inRange<char>(0x20, 0x7F), [](char c) { return c != '"' && c != '\\'; }));
}

// Values inside the subset: objects, arrays, plain strings, booleans and null, nested a little
// (at most four members or elements per level, so a document stays small).
rc::Gen<json> plain_value(int depth) {
  auto scalar = rc::gen::oneOf(rc::gen::map(plain_text(), [](std::string s) { return json(std::move(s)); }),
                               rc::gen::map(rc::gen::arbitrary<bool>(), [](bool b) { return json(b); }),
                               rc::gen::just(json(nullptr)));
  if (depth >= 4) return scalar;
  return rc::gen::oneOf(
      scalar,
      rc::gen::map(rc::gen::resize(4, rc::gen::container<std::vector<std::pair<std::string, json>>>(rc::gen::pair(
                                          plain_text(), rc::gen::lazy([depth] { return plain_value(depth + 1); })))),
                   [](const std::vector<std::pair<std::string, json>>& members) {
                     json object = json::object();
                     for (const auto& [name, value] : members) object[name] = value;
                     return object;
                   }),
      rc::gen::map(rc::gen::resize(4, rc::gen::container<std::vector<json>>(
                                          rc::gen::lazy([depth] { return plain_value(depth + 1); }))),
                   [](const std::vector<json>& elements) { return json(elements); }));
}

RC_GTEST_PROP(PlainJsonProperties, ReadsEveryDocumentOfItsSubsetAsNlohmannDoes, ()) {
  json object = json::object();
  object["v"] = *plain_value(0);
  const std::string body = *rc::gen::element(object.dump(), object.dump(2), "\r\n\t " + object.dump(1, '\t') + " ");
  const auto plain = parse_plain_object(body);
  RC_ASSERT(plain.has_value());
  RC_ASSERT(*plain == json::parse(body));
}

// A body one edit away from a valid one: whatever the quick reading accepts, nlohmann accepts as
// the same document.
RC_GTEST_PROP(PlainJsonProperties, AcceptsNothingNlohmannRefusesOrReadsOtherwise, ()) {
  json object = json::object();
  object["v"] = *plain_value(0);
  std::string body = object.dump(*rc::gen::element(-1, 1));
  const auto at = *rc::gen::inRange<std::size_t>(0, body.size());
  switch (*rc::gen::inRange(0, 3)) {
    case 0:
      body.erase(at, 1);
      break;
    case 1:
      body.insert(at, 1, *rc::gen::element('"', '\\', ',', ':', '{', '}', '[', ']', '1', 'e', '\x01', '\xc3', ' '));
      break;
    default:
      body[at] = *rc::gen::arbitrary<char>();
  }
  const auto plain = parse_plain_object(body);
  if (!plain) return;
  const json reference = json::parse(body, nullptr, false);
  RC_ASSERT(!reference.is_discarded());
  RC_ASSERT(*plain == reference);
}

// The lenient reading through the quick one: the same value as nlohmann's own, inside the
// subset, outside it and for what is no JSON at all.
RC_GTEST_PROP(PlainJsonProperties, ParseOrDiscardedIsNlohmannsLenientParse, ()) {
  json object = json::object();
  object["v"] = *plain_value(0);
  std::string body = object.dump();
  const auto at = *rc::gen::inRange<std::size_t>(0, body.size());
  if (*rc::gen::arbitrary<bool>()) body.insert(at, 1, *rc::gen::element('"', '\\', ',', '1', '\x01', '\xc3', ' '));
  const json quick = parse_or_discarded(body);
  const json reference = json::parse(body, nullptr, false);
  RC_ASSERT(quick.is_discarded() == reference.is_discarded());
  if (!reference.is_discarded()) RC_ASSERT(quick == reference);
}

TEST(PlainJson, ParseOrDiscardedReadsWhatTheQuickReadingLeaves) {
  EXPECT_EQ(parse_or_discarded(R"({"a":1.5,"b":"\n"})"), json::parse(R"({"a":1.5,"b":"\n"})"));
  EXPECT_EQ(parse_or_discarded("[1,{}]"), json::array({1, json::object()}));
  EXPECT_EQ(parse_or_discarded(R"({"a":"x","a":"y"})"), json::parse(R"({"a":"x","a":"y"})"));
  EXPECT_TRUE(parse_or_discarded(R"({"a":)").is_discarded());
  EXPECT_TRUE(parse_or_discarded("").is_discarded());
}

TEST(PlainJson, LeavesEverythingOutsideItsSubsetToTheStrictReading) {
  const std::vector<std::string> outside = {R"({"a":"\n"})",
                                            R"({"a":"caf)"
                                            "\xc3\xa9"
                                            R"("})",
                                            R"({"a":1})",
                                            R"({"a":-0.5})",
                                            R"({"a":"x","a":"y"})",
                                            R"({"a":"x"} x)",
                                            R"({"a":"x")",
                                            R"(["a"])",
                                            R"("a")",
                                            R"({"a":tru})",
                                            R"({"a" "b"})",
                                            R"({,})",
                                            R"({"a":"b",})",
                                            R"({"a":["b",]})",
                                            std::string("{\"a\":\"\x01\"}"),
                                            std::string("{\"a\":\"\x7f\"}"),
                                            std::string(17, '[') + std::string(17, ']'),
                                            R"({"a":)" + std::string(16, '[') + std::string(16, ']') + "}"};
  for (const std::string& body : outside) {
    SCOPED_TRACE(body);
    EXPECT_FALSE(parse_plain_object(body).has_value());
  }
}

TEST(PlainJson, ATypicalCreateBodyIsReadQuicklyAndTheStrictReadingAgrees) {
  const std::string body =
      R"({"payload":{"type":"AEAD_AES_128_GCM","data":"QUJDRA=="},"displayInformation":{"title":"Car Key",)"
      R"("description":"A key","imageURL":"https://example.com/i.png"},"mailboxConfiguration":{"accessRights":"RWD",)"
      R"("expiration":"2027-01-01T00:00:00Z"}})";
  const auto plain = parse_plain_object(body);
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(*plain, json::parse(body));
  auto strict = strict_json::parse_object_body(body);
  ASSERT_TRUE(strict.ok());
  EXPECT_EQ(*strict, *plain);
}

TEST(PlainJson, DepthSixteenIsReadAndSeventeenIsLeftToTheStrictReading) {
  const auto nested = [](int depth) {
    return "{\"a\":" + std::string(static_cast<std::size_t>(depth - 1), '[') +
           std::string(static_cast<std::size_t>(depth - 1), ']') + "}";
  };
  EXPECT_TRUE(parse_plain_object(nested(16)).has_value());
  EXPECT_FALSE(parse_plain_object(nested(17)).has_value());
  EXPECT_TRUE(strict_json::parse_object_body(nested(17)).ok());  // the strict limit is 64
}

TEST(PlainJson, NestingDepthCountsBracketsOutsideStrings) {
  EXPECT_EQ(nesting_depth(""), 0u);
  EXPECT_EQ(nesting_depth("true"), 0u);
  EXPECT_EQ(nesting_depth("{}"), 1u);
  EXPECT_EQ(nesting_depth(R"({"a":[1,{"b":[]}],"c":{}})"), 4u);
  // Brackets inside strings, also after an escaped quote, do not count.
  EXPECT_EQ(nesting_depth(R"({"a":"[[[{{{"})"), 1u);
  EXPECT_EQ(nesting_depth(R"({"a":"\"[[[","b":[]})"), 2u);
  EXPECT_EQ(nesting_depth(R"(["\\",[]])"), 2u);  // an escaped backslash, then the closing quote
  // Malformed text still gets a figure: the deepest point reached, closers never below zero.
  EXPECT_EQ(nesting_depth("[[[[[[[["), 8u);
  EXPECT_EQ(nesting_depth("]]]][]"), 1u);
  EXPECT_EQ(nesting_depth(std::string(5000, '[') + std::string(5000, ']')), 5000u);
}

}  // namespace
}  // namespace tigress::codec::plain_json
