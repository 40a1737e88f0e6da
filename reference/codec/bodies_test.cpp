// Request bodies (draft-vinokurov-tigress-http-00 sections 6.1.5, 6.2.5, 6.5) and the JSON layer
// under them. Responses, serialisation and the parser corpus are in bodies_response_test.cpp.
#include "reference/codec/bodies.hpp"
#include "reference/codec/bodies_test_support.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tigress::codec {
namespace {

using nlohmann::json;

json valid_create() {
  return json::parse(R"({
    "payload": {"type": "AEAD_AES_128_GCM", "data": "AAECAwQFBgcICQoL"},
    "displayInformation": {"title": "Car key", "description": "Shared by Ann",
                           "imageURL": "https://img.example/key.png"},
    "notificationToken": {"type": "com.apple.apns", "tokenData": "abc123"},
    "mailboxConfiguration": {"accessRights": "RWD", "expiration": "2030-01-01T00:00:00Z"}
  })");
}

// "/payload/type" -> "payload.type": the error paths are dotted.
std::string dotted(const std::string& pointer) {
  std::string path = pointer.substr(1);
  for (char& c : path) {
    if (c == '/') c = '.';
  }
  return path;
}

void erase(json& body, const std::string& pointer) {
  json::json_pointer ptr(pointer);
  body[ptr.parent_pointer()].erase(ptr.back());
}

using test::failure;
using test::k2030;

Error create_failure(const json& body) { return failure(parse_create_request, body.dump()); }

// Every member at `pointers` set to every value of `wrong` (value, JSON kind): the Create is
// refused, naming the member and "<expected>, got <kind>".
void expect_wrong_types_refused(const std::vector<std::string>& pointers,
                                const std::vector<std::pair<json, std::string>>& wrong, const std::string& expected) {
  for (const auto& pointer : pointers) {
    for (const auto& [value, kind] : wrong) {
      SCOPED_TRACE(pointer + " = " + value.dump());
      json body = valid_create();
      body[json::json_pointer(pointer)] = value;
      Error error = create_failure(body);
      EXPECT_EQ(error.field, dotted(pointer));
      EXPECT_EQ(error.reason, expected + ", got " + kind);
    }
  }
}

TEST(BodiesCreate, FullValidBody) {
  auto request = parse_create_request(valid_create().dump());
  ASSERT_TRUE(request.ok()) << request.error().message();
  EXPECT_EQ(request->payload, (Payload{"AEAD_AES_128_GCM", "AAECAwQFBgcICQoL"}));
  EXPECT_EQ(request->display_information,
            (DisplayInformation{"Car key", "Shared by Ann", "https://img.example/key.png"}));
  EXPECT_EQ(request->notification_token, (NotificationToken{"com.apple.apns", "abc123"}));
  ASSERT_TRUE(request->mailbox_configuration.has_value());
  EXPECT_EQ(request->mailbox_configuration->expiration, k2030);
  EXPECT_EQ(request->mailbox_configuration->access_rights, (AccessRights{true, true, true}));
}

TEST(BodiesCreate, OptionalMembersMayBeOmitted) {
  json body = valid_create();
  body.erase("notificationToken");
  body.erase("mailboxConfiguration");
  auto request = parse_create_request(body.dump());
  ASSERT_TRUE(request.ok()) << request.error().message();
  EXPECT_FALSE(request->notification_token.has_value());
  EXPECT_FALSE(request->mailbox_configuration.has_value());  // relay default applies (6.1.5)

  body = valid_create();
  erase(body, "/mailboxConfiguration/accessRights");
  request = parse_create_request(body.dump());
  ASSERT_TRUE(request.ok()) << request.error().message();
  EXPECT_FALSE(request->mailbox_configuration->access_rights.has_value());
}

TEST(BodiesCreate, OpaqueAndFreeFormStringsAreNotInspected) {  // AMB-47, AMB-63
  json body = valid_create();
  body["payload"] = {{"type", ""}, {"data", "not base64 at all!"}};
  body["displayInformation"] = {
      {"title", ""}, {"description", "Schl\u00fcssel \U0001F511"}, {"imageURL", "javascript:x"}};
  auto request = parse_create_request(body.dump());
  ASSERT_TRUE(request.ok()) << request.error().message();
  EXPECT_EQ(request->payload.data, "not base64 at all!");
  EXPECT_EQ(request->display_information.description, "Schl\u00fcssel \U0001F511");
}

TEST(BodiesCreate, UnknownMembersAnywhereAreIgnored) {  // AMB-59, MBX-CREATE-11/14
  json body = valid_create();
  body["x-ext"] = 1;
  body["mailboxIdentifier"] = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
  body["payload"]["extra"] = json::array({1, {{"deep", nullptr}}});
  body["displayInformation"]["subtitle"] = nullptr;
  body["notificationToken"]["priority"] = 10;
  body["mailboxConfiguration"]["maxReads"] = {{"a", true}};
  auto request = parse_create_request(body.dump());
  ASSERT_TRUE(request.ok()) << request.error().message();
  EXPECT_EQ(request->payload.type, "AEAD_AES_128_GCM");
}

TEST(BodiesCreate, EachRequiredMemberMissingInTurn) {
  const std::vector<std::string> required = {"/payload",
                                             "/payload/type",
                                             "/payload/data",
                                             "/displayInformation",
                                             "/displayInformation/title",
                                             "/displayInformation/description",
                                             "/displayInformation/imageURL",
                                             "/notificationToken/type",
                                             "/notificationToken/tokenData",
                                             "/mailboxConfiguration/expiration"};
  for (const auto& pointer : required) {
    SCOPED_TRACE(pointer);
    json body = valid_create();
    erase(body, pointer);
    Error error = create_failure(body);
    EXPECT_EQ(error.field, dotted(pointer));
    EXPECT_EQ(error.reason.rfind("missing required member", 0), 0u) << error.reason;
  }
}

TEST(BodiesCreate, MissingExpirationInsidePresentConfigurationIsRefused) {  // AMB-12
  json body = valid_create();
  body["mailboxConfiguration"] = {{"accessRights", "RD"}};
  Error error = create_failure(body);
  EXPECT_EQ(error.field, "mailboxConfiguration.expiration");
  EXPECT_NE(error.reason.find("AMB-12"), std::string::npos) << error.reason;
  body["mailboxConfiguration"] = json::object();
  EXPECT_EQ(create_failure(body).field, "mailboxConfiguration.expiration");
}

TEST(BodiesCreate, IncompleteNotificationTokenIsRefused) {  // AMB-22
  json body = valid_create();
  body["notificationToken"] = {{"type", "com.apple.apns"}};
  Error error = create_failure(body);
  EXPECT_EQ(error.field, "notificationToken.tokenData");
  EXPECT_NE(error.reason.find("both type and tokenData"), std::string::npos) << error.reason;
  body["notificationToken"] = json::object();
  EXPECT_EQ(create_failure(body).field, "notificationToken.type");
}

TEST(BodiesCreate, StringMembersWithWrongTypes) {
  const std::vector<std::string> strings = {"/payload/type",
                                            "/payload/data",
                                            "/displayInformation/title",
                                            "/displayInformation/description",
                                            "/displayInformation/imageURL",
                                            "/notificationToken/type",
                                            "/notificationToken/tokenData",
                                            "/mailboxConfiguration/expiration",
                                            "/mailboxConfiguration/accessRights"};
  const std::vector<std::pair<json, std::string>> wrong = {{5, "number"},
                                                           {1.5, "number"},
                                                           {nullptr, "null"},
                                                           {true, "boolean"},
                                                           {json::array({"a"}), "array"},
                                                           {json::object(), "object"}};
  expect_wrong_types_refused(strings, wrong, "must be a string");
}

TEST(BodiesCreate, ObjectMembersWithWrongTypes) {  // payload as a string: MBX-CREATE-05 [S]
  const std::vector<std::string> objects = {"/payload", "/displayInformation", "/notificationToken",
                                            "/mailboxConfiguration"};
  const std::vector<std::pair<json, std::string>> wrong = {{"{\"type\":\"t\",\"data\":\"d\"}", "string"},
                                                           {7, "number"},
                                                           {nullptr, "null"},
                                                           {false, "boolean"},
                                                           {json::array(), "array"}};
  expect_wrong_types_refused(objects, wrong, "must be an object");
}

TEST(BodiesCreate, FirstErrorInDocumentOrderIsReported) {
  json body = valid_create();
  erase(body, "/payload/data");
  body["displayInformation"] = 5;
  EXPECT_EQ(create_failure(body).field, "payload.data");
}

TEST(BodiesCreate, ExpirationOffsetsAreConvertedToUtc) {  // AMB-15, MBX-CREATE-09
  const std::vector<std::pair<std::string, UnixSeconds>> cases = {
      {"2030-01-01T00:00:00Z", k2030},
      {"2030-01-01T00:00:00+01:00", k2030 - 3600},  // 2029-12-31T23:00:00Z
      {"2030-01-01T00:00:00-05:30", k2030 + 19800},
      {"2030-01-01t00:00:00z", k2030},
      {"2030-01-01T00:00:00.999Z", k2030}};
  for (const auto& [text, expected] : cases) {
    SCOPED_TRACE(text);
    json body = valid_create();
    body["mailboxConfiguration"]["expiration"] = text;
    auto request = parse_create_request(body.dump());
    ASSERT_TRUE(request.ok()) << request.error().message();
    EXPECT_EQ(request->mailbox_configuration->expiration, expected);
  }
}

TEST(BodiesCreate, BadExpirationsAreRefused) {
  for (const char* text :
       {"2030-01-01", "", "tomorrow", "2030-01-01T00:00:00", "2030-13-01T00:00:00Z", "2030-02-30T00:00:00Z",
        "2030-01-01T24:00:00Z", "2030-01-01T00:00:00+0100", "2030-01-01T00:00:00+01", "2030-01-01T00:00:00Z\n",
        "2030-01-01T00:00:60Z", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"}) {
    SCOPED_TRACE(text);
    json body = valid_create();
    body["mailboxConfiguration"]["expiration"] = text;
    Error error = create_failure(body);
    EXPECT_EQ(error.field, "mailboxConfiguration.expiration");
    EXPECT_FALSE(error.reason.empty());
  }
  json body = valid_create();
  body["mailboxConfiguration"]["expiration"] = "2030-01-01";
  EXPECT_EQ(create_failure(body).reason.rfind("must be an RFC 3339 date-time such as 2030-01-01T00:00:00Z", 0), 0u);
}

TEST(BodiesAccessRights, GoodStringsInAnyOrder) {
  struct Case {
    const char* text;
    AccessRights rights;
    const char* canonical;
  };
  for (const Case& c : {Case{"R", {true, false, false}, "R"}, Case{"RWD", {true, true, true}, "RWD"},
                        Case{"DWR", {true, true, true}, "RWD"}, Case{"WD", {false, true, true}, "WD"},
                        Case{"RD", {true, false, true}, "RD"}, Case{"D", {false, false, true}, "D"}}) {
    SCOPED_TRACE(c.text);
    auto rights = parse_access_rights(c.text);
    ASSERT_TRUE(rights.ok()) << rights.error().message();
    EXPECT_EQ(*rights, c.rights);
    EXPECT_EQ(rights->to_string(), c.canonical);
  }
  EXPECT_EQ(AccessRights::defaults().to_string(), "RD");  // 6.1.5 default: read and delete
}

TEST(BodiesAccessRights, BadStringsAreRefused) {  // AMB-11 strict
  const std::vector<std::pair<std::string, std::string>> cases = {{"", "at least one"},
                                                                  {"X", "'X' is not an access right"},
                                                                  {"rw", "upper case"},
                                                                  {"RRW", "'R' appears more than once"},
                                                                  {"RWDX", "'X' is not"},
                                                                  {"R W", "' '"},
                                                                  {"RWDR", "more than once"},
                                                                  {"R\xC3\x9C", "byte 0xC3"},
                                                                  {std::string("R\0", 2), "byte 0x00"}};
  for (const auto& [text, hint] : cases) {
    SCOPED_TRACE(text);
    auto rights = parse_access_rights(text);
    ASSERT_FALSE(rights.ok());
    EXPECT_NE(rights.error().reason.find(hint), std::string::npos) << rights.error().reason;
  }
}

TEST(BodiesAccessRights, InsideCreateBodies) {
  for (const char* good : {"R", "RWD", "DWR", "WD"}) {
    json body = valid_create();
    body["mailboxConfiguration"]["accessRights"] = good;
    auto request = parse_create_request(body.dump());
    ASSERT_TRUE(request.ok()) << good << ": " << request.error().message();
    EXPECT_EQ(request->mailbox_configuration->access_rights, parse_access_rights(good).value());
  }
  for (const char* bad : {"", "X", "rw", "RRW", "RWDX"}) {
    SCOPED_TRACE(bad);
    json body = valid_create();
    body["mailboxConfiguration"]["accessRights"] = bad;
    Error error = create_failure(body);
    EXPECT_EQ(error.field, "mailboxConfiguration.accessRights");
    EXPECT_EQ(error.reason, parse_access_rights(bad).error().reason);
  }
}

TEST(BodiesUpdate, PayloadAloneOrWithToken) {  // MBX-UPDATE-05
  auto request = parse_update_request(R"({"payload":{"type":"t","data":"d"}})");
  ASSERT_TRUE(request.ok()) << request.error().message();
  EXPECT_EQ(request->payload, (Payload{"t", "d"}));
  EXPECT_FALSE(request->notification_token.has_value());
  request =
      parse_update_request(R"({"payload":{"type":"t","data":"d"},"notificationToken":{"type":"a","tokenData":"b"}})");
  ASSERT_TRUE(request.ok()) << request.error().message();
  EXPECT_EQ(request->notification_token, (NotificationToken{"a", "b"}));
}

TEST(BodiesUpdate, MembersOutsideTheSchemaAreIgnoredUnchecked) {  // AMB-58, MBX-UPDATE-10
  auto request = parse_update_request(R"({"payload":{"type":"t","data":"d"},
      "displayInformation":{"title":5},"mailboxConfiguration":{"expiration":"bogus"},
      "urlLink":null})");
  ASSERT_TRUE(request.ok()) << request.error().message();
}

TEST(BodiesUpdate, InvalidBodies) {  // MBX-UPDATE-04
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{}", "payload"},
      {R"({"payload":{"type":"t"}})", "payload.data"},
      {R"({"payload":{"data":"d"}})", "payload.type"},
      {R"({"payload":"{\"type\":\"t\",\"data\":\"d\"}"})", "payload"},
      {R"({"payload":null})", "payload"},
      {R"({"payload":{"type":"t","data":5}})", "payload.data"},
      {R"({"payload":{"type":"t","data":"d"},"notificationToken":{"tokenData":"x"}})", "notificationToken.type"},
      {R"({"payload":{"type":"t","data":"d"},"notificationToken":[]})", "notificationToken"},
      {"[]", ""},
      {"", ""}};
  for (const auto& [body, field] : cases) {
    SCOPED_TRACE(body);
    EXPECT_EQ(failure(parse_update_request, body).field, field);
  }
  EXPECT_EQ(failure(parse_update_request, R"({"payload":{"type":"t","data":5}})").reason,
            "must be a string, got number");
}

TEST(BodiesRead, EmptyBodyIsTheNormalCase) {  // 6.5, MBX-READ-10
  auto request = parse_read_request("");
  ASSERT_TRUE(request.ok());
  EXPECT_FALSE(request->notification_token.has_value());
  request = parse_read_request("{}");
  ASSERT_TRUE(request.ok());
  EXPECT_FALSE(request->notification_token.has_value());
}

TEST(BodiesRead, OptionalTokenAndIgnoredMembers) {  // AMB-07
  auto request =
      parse_read_request(R"({"notificationToken":{"type":"com.apple.apns","tokenData":"t"},"payload":5,"x":[]})");
  ASSERT_TRUE(request.ok()) << request.error().message();
  EXPECT_EQ(request->notification_token, (NotificationToken{"com.apple.apns", "t"}));
}

TEST(BodiesRead, InvalidBodies) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"notificationToken":{"type":"com.apple.apns"}})", "notificationToken.tokenData"},
      {R"({"notificationToken":null})", "notificationToken"},
      {R"({"notificationToken":{"type":1,"tokenData":"t"}})", "notificationToken.type"},
      {" ", ""},
      {"\r\n", ""},
      {"null", ""},
      {"[]", ""},
      {"\"\"", ""},
      {"{", ""}};
  for (const auto& [body, field] : cases) {
    SCOPED_TRACE(body);
    EXPECT_EQ(failure(parse_read_request, body).field, field);
  }
  EXPECT_NE(failure(parse_read_request, " ").reason.find("only whitespace"), std::string::npos);
}

}  // namespace
}  // namespace tigress::codec
