// Cross-check of the JSON texts in request_body_test.json, response_body_test.json and
// provisioning_test.json with RapidJSON (Debian rapidjson-dev), no code of ours: RapidJSON's SAX
// reader (with UTF-8 validation) decides well-formedness (RFC 8259 section 2), whether the text
// is an object, and, through the handler below, duplicate member names (RFC 8259 section 4).
// A vector whose flags name a JSON-level problem must show it; every other vector's text must
// be a well-formed object without duplicates, whatever its result (its invalidity is then in the
// members' values, which is not RapidJSON's to judge). Differences: README, Cross-checks.
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/stream.h>
#include <rapidjson/reader.h>

#include "committed_vectors.hpp"

namespace tigress::vectors::crosscheck::json_rapidjson {
namespace {

using nlohmann::json;

// Records the root's type and any member name repeated within one object.
struct DuplicateFinder : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, DuplicateFinder> {
  std::vector<std::set<std::string>> open_objects;
  int depth = 0;
  bool root_is_object = false, duplicate = false;

  bool StartObject() {
    if (depth++ == 0) root_is_object = true;
    open_objects.emplace_back();
    return true;
  }
  bool Key(const char* name, rapidjson::SizeType length, bool) {
    if (!open_objects.back().insert(std::string(name, length)).second) duplicate = true;
    return true;
  }
  bool EndObject(rapidjson::SizeType) {
    --depth;
    open_objects.pop_back();
    return true;
  }
  bool StartArray() { return ++depth > 0; }
  bool EndArray(rapidjson::SizeType) { return --depth >= 0; }
};

struct Reading {
  bool well_formed = false, object = false, duplicate = false;
  std::string error;
};

Reading read_with_rapidjson(const std::string& text) {
  // In-situ parsing: RapidJSON's copying string path does pointer arithmetic on its empty
  // stack's null pointer (undefined behaviour that UBSan stops on); decoding strings in place
  // never touches that stack. The buffer ends in the NUL the in-situ stream stops at.
  std::vector<char> buffer(text.begin(), text.end());
  buffer.push_back('\0');
  rapidjson::InsituStringStream stream(buffer.data());
  DuplicateFinder finder;
  rapidjson::Reader reader;
  const rapidjson::ParseResult parsed =
      reader.Parse<rapidjson::kParseInsituFlag | rapidjson::kParseValidateEncodingFlag>(stream, finder);
  Reading reading;
  // RapidJSON's streams report a NUL byte as the end of input, so a text it stopped short of
  // the end is not one JSON text (README, Cross-checks: the NUL difference).
  reading.well_formed = !parsed.IsError() && stream.Tell() == text.size();
  if (parsed.IsError())
    reading.error = "RapidJSON error " + std::to_string(parsed.Code()) + " at " + std::to_string(parsed.Offset());
  else if (!reading.well_formed)
    reading.error = "RapidJSON stopped at offset " + std::to_string(stream.Tell());
  reading.object = reading.well_formed && finder.root_is_object;
  reading.duplicate = reading.well_formed && finder.duplicate;
  return reading;
}

// The JSON text of a vector, if it has one: a request body of Create or Update (section 6.1,
// 6.2; empty is no JSON text), a non-empty body on Read (AMB-07; empty means none sent), no body
// on the endpoints that define none (IgnoredBody, AMB-27), every response body and provisioning
// value.
std::optional<std::string> text_of(const json& group, const json& test) {
  if (test.contains("value") && test["value"].is_string()) return test["value"].get<std::string>();
  if (!test.contains("body") || !test["body"].is_string()) return std::nullopt;
  const std::string body = test["body"].get<std::string>();
  if (group.value("type", "") != "RequestBodyTest") return body;
  const std::string endpoint = group.value("endpoint", "");
  if (endpoint == "CreateMailbox" || endpoint == "UpdateMailbox") return body;
  if (endpoint == "ReadSecureContent" && !body.empty()) return body;
  return std::nullopt;
}

// RapidJSON's reading against the vector's flags; nothing when they agree. `recorded` gets the
// differences the flags explain.
std::optional<std::string> disagreement(const json& group, const json& test, std::string* recorded) {
  const auto text = text_of(group, test);
  if (!text) return std::nullopt;  // no body sent: nothing for a JSON parser
  const Reading r = read_with_rapidjson(*text);
  const std::string result = test.value("result", "");
  if (has_flag(test, "ByteOrderMark")) {
    // RFC 8259 section 8.1: a parser may ignore a BOM; RapidJSON's plain UTF-8 reader does not.
    if (r.well_formed) return "ByteOrderMark, but RapidJSON reads it as JSON";
    if (result == "valid") return "ByteOrderMark vector is valid, but RapidJSON refuses it";
    if (recorded) *recorded = "acceptable; RapidJSON refuses the BOM (" + r.error + ")";
    return std::nullopt;
  }
  if (has_flag(test, "TrailingData")) {
    if (r.well_formed) return "TrailingData, but RapidJSON reads one JSON text";
    if (recorded && r.error.find("stopped") != std::string::npos) *recorded = "RapidJSON ends input at NUL: " + r.error;
    return result == "invalid" ? std::nullopt : std::optional<std::string>("TrailingData must be invalid");
  }
  if (has_flag(test, "NotJson")) {
    if (r.object) return "NotJson, but RapidJSON reads a JSON object";
    return result == "valid" ? std::optional<std::string>("NotJson vector is valid") : std::nullopt;
  }
  if (!r.well_formed) return "RapidJSON refuses it (" + r.error + ") but no flag names a JSON-level problem";
  if (!r.object) return "RapidJSON reads no object but the vector is not flagged NotJson";
  if (has_flag(test, "DuplicateMember") != r.duplicate) {
    return r.duplicate ? "RapidJSON finds a duplicate member, not flagged DuplicateMember"
                       : "DuplicateMember, but RapidJSON finds none";
  }
  if (r.duplicate && result == "valid") return "a duplicate member in a valid vector";
  return std::nullopt;
}

const std::vector<std::string> kFiles = {"request_body_test.json", "response_body_test.json", "provisioning_test.json"};

TEST(JsonRapidJsonCrossCheck, EveryTextAgreesWithRapidJson) {
  for (const std::string& file : kFiles) {
    const json doc = load_vector_file(file);
    ASSERT_TRUE(doc.is_object()) << file;
    int checked = 0, texts = 0;
    std::map<int, std::string> recorded;
    for (const auto& group : doc["testGroups"]) {
      for (const auto& test : group["tests"]) {
        const int id = test["tcId"].get<int>();
        SCOPED_TRACE(file + " tcId " + std::to_string(id) + ": " + test.value("comment", ""));
        std::string note;
        const auto differs = disagreement(group, test, &note);
        EXPECT_FALSE(differs) << *differs;
        if (!note.empty()) recorded[id] = note;
        texts += text_of(group, test).has_value();
        ++checked;
      }
    }
    EXPECT_EQ(checked, doc["numberOfTests"].get<int>()) << file;
    std::cout << file << ": " << texts << " JSON texts of " << checked << " vectors; differences explained by flags:\n";
    for (const auto& [id, what] : recorded) std::cout << "  tcId " << id << ": " << what << '\n';
  }
}

// The comparison must be able to fail: a JSON-level flag removed, or one added to a typical
// vector, is caught.
TEST(JsonRapidJsonCrossCheck, TamperedExpectationsAreCaught) {
  int tampered = 0;
  for (const std::string& file : kFiles) {
    const json doc = load_vector_file(file);
    for (const auto& group : doc["testGroups"]) {
      for (const auto& test : group["tests"]) {
        if (!text_of(group, test)) continue;
        SCOPED_TRACE(file + " tcId " + std::to_string(test["tcId"].get<int>()));
        const bool json_level = has_any_flag(test, {"NotJson", "DuplicateMember", "TrailingData", "ByteOrderMark"});
        json other = test;
        other["flags"] = json_level ? json::array({"Typical"}) : json::array({"DuplicateMember"});
        EXPECT_TRUE(disagreement(group, other, nullptr));
        if (!json_level) {
          other["flags"] = json::array({"NotJson"});
          EXPECT_TRUE(disagreement(group, other, nullptr));
        }
        ++tampered;
      }
    }
  }
  EXPECT_GT(tampered, 0);
}

}  // namespace
}  // namespace tigress::vectors::crosscheck::json_rapidjson
