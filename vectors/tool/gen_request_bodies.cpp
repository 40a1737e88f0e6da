// Request vectors for every endpoint (draft section 6): a body (plus the claim, request ID and
// media type it travels with) and the status(es) the relay may answer. Expected statuses follow
// the draft and the catalogue's AMB entries (conformance/requirements.json): one status class
// when every reading agrees, 'acceptable' with every allowed status where readings differ.
#include <algorithm>
#include <optional>

#include "vectors/tool/body_fixtures.hpp"
#include "vectors/tool/catalogue_statuses.hpp"
#include "vectors/tool/generators.hpp"

namespace tigress::vectors {
namespace {

const std::string kPayload = R"({"type":"AEAD_AES_128_GCM","data":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw="})";
const std::string kDisplayJson =
    R"({"title":"Car Key","description":"A key to my car","imageURL":"https://example.com/car.png"})";
const std::string kToken = R"({"type":"apns","tokenData":"0f1e2d3c4b5a69788796a5b4c3d2e1f0"})";

std::string create_with(const std::string& configuration, const std::string& extra = "") {
  std::string body = R"({"payload":)" + kPayload + R"(,"displayInformation":)" + kDisplayJson;
  if (!configuration.empty()) body += R"(,"mailboxConfiguration":)" + configuration;
  return body + extra + "}";
}

std::string config(const std::string& rights, const std::string& expiration) {
  std::string out = "{";
  if (!rights.empty()) out += R"("accessRights":)" + rights + ",";
  return out + R"("expiration":)" + expiration + "}";
}

std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

struct Request {
  std::string comment;
  std::vector<std::string> flags;
  std::vector<std::string> readings;  // catalogue readings whose statuses are also allowed
  std::string body;
  std::vector<int> draft;            // the statuses the draft itself decides
  std::optional<std::string> claim;  // nullopt: header omitted
  std::optional<std::string> request_id;
  std::optional<std::string> content_type = "application/json";
  std::optional<std::string> mailbox_id;  // overrides the set-up mailbox
  std::vector<std::string> context;       // further AMB entries that explain the outcome
};

Request req(std::string comment, std::vector<std::string> flags, std::vector<std::string> readings, std::string body,
            std::vector<int> draft, std::optional<std::string> claim, std::optional<std::string> request_id,
            std::optional<std::string> content_type = std::string("application/json"),
            std::optional<std::string> mailbox_id = std::nullopt, std::vector<std::string> context = {}) {
  Request r;
  r.comment = std::move(comment);
  r.flags = std::move(flags);
  r.readings = std::move(readings);
  r.body = std::move(body);
  r.draft = std::move(draft);
  r.claim = std::move(claim);
  r.request_id = std::move(request_id);
  r.content_type = std::move(content_type);
  r.mailbox_id = std::move(mailbox_id);
  r.context = std::move(context);
  return r;
}

std::string classify(const std::vector<int>& statuses, std::string& status_class) {
  bool success = false, failure = false;
  for (int s : statuses) (s < 300 ? success : failure) = true;
  status_class = success && failure ? "2xx or 4xx" : success ? "2xx" : "4xx";
  return success && failure ? "acceptable" : success ? "valid" : "invalid";
}

void notes(VectorFile& file) {
  file.note("Typical", "FUNCTIONALITY", "A well-formed request as the draft describes it.");
  file.note("Optional", "FUNCTIONALITY",
            "Optional members present or absent (notificationToken, mailboxConfiguration, accessRights).");
  file.note("UnknownMember", "FUNCTIONALITY",
            "A member the schema does not define; the strict reading ignores it (AMB-58, AMB-59).");
  file.note("MissingField", "MALFORMED_INPUT", "A required member is absent.");
  file.note("WrongType", "MALFORMED_INPUT", "A member has the wrong JSON type; null never stands for 'absent'.");
  file.note("NotJson", "MALFORMED_INPUT", "The body is not a JSON object (not JSON, empty, or another JSON type).");
  file.note("DuplicateMember", "EDGE_CASE",
            "A member name repeated in one object; RFC 8259 section 4 leaves the meaning open.");
  file.note("BadTimestamp", "MALFORMED_INPUT", "expiration is not an RFC 3339 date-time.");
  file.note("TimestampForm", "EDGE_CASE", "expiration in an RFC 3339 form other than the draft's Z form (AMB-15).");
  file.note("LeapSecond", "EDGE_CASE",
            "expiration on second 60: RFC 3339 syntax allows it, but a relay cannot know whether that leap second will "
            "exist (AMB-15 readings).");
  file.note("PastExpiration", "EDGE_CASE", "expiration at or before the relay's clock (AMB-13).");
  file.note("LongLifetime", "EDGE_CASE", "expiration beyond any sane maximum lifetime (AMB-14): refused or capped.");
  file.note("NoExpiration", "EDGE_CASE", "mailboxConfiguration without expiration (AMB-12).");
  file.note("BadRights", "MALFORMED_INPUT", "accessRights that is no combination of R, W, D (AMB-11).");
  file.note("RightsSpelling", "EDGE_CASE", "accessRights spelt in a way only the lenient reading of AMB-11 accepts.");
  file.note("IncompleteToken", "EDGE_CASE", "notificationToken with only one of its members (AMB-22).");
  file.note("MediaType", "EDGE_CASE", "Content-Type other than application/json (AMB-28).");
  file.note("BadUuid", "MALFORMED_INPUT", "A device claim, request ID or mailbox ID that is not a UUID.");
  file.note("MissingHeader", "MALFORMED_INPUT", "Mailbox-Device-Claim or Mailbox-Request-ID omitted.");
  file.note("PayloadType", "EDGE_CASE",
            "payload.type other than AEAD_AES_128_GCM and AEAD_AES_256_GCM: opaque to the relay (strict) or refused "
            "(lenient reading of AMB-47).");
  file.note(
      "StringEncoded", "EDGE_CASE",
      "payload as a JSON string whose parse is the payload object: only the lenient reading of AMB-18 accepts it.");
  file.note(
      "NonAscii", "FUNCTIONALITY",
      "Strings with non-ASCII characters, raw UTF-8 or \\u escapes: JSON strings are Unicode (RFC 8259 section 8).");
  file.note("SizeLimit", "EDGE_CASE",
            "A body at or one byte over the group's maxBodyBytes; only for a relay configured with that limit (AMB-48: "
            "413 or 400 above it).");
  file.note("Unbound", "AUTH_BYPASS",
            "A claim no mailbox binds (neither the initiator nor a recipient that has read): refused with 401 or 403 "
            "(section 4.1, AMB-25).");
  file.note("IgnoredBody", "FUNCTIONALITY", "A body on an endpoint that defines none; it is ignored (AMB-07, AMB-27).");
}

}  // namespace

Result<std::vector<GeneratedFile>> generate_request_body_vectors() {
  auto catalogue = load_vectors_catalogue();
  if (!catalogue) return catalogue.error();
  VectorFile file(
      "request bodies and headers (draft-vinokurov-tigress-http-00 section 6)", "request_body_test_schema_v1.json",
      {"One group per endpoint. Before each test a fresh relay whose clock reads relayTime gets the group's setup "
       "requests; then the test request is sent.",
       "deviceClaim / requestId null: that header is omitted; contentType null: no Content-Type. mailboxId, when "
       "given, replaces the set-up mailbox's ID in the path.",
       "expectedStatus is the statuses the draft decides joined with those of every catalogue reading in readings "
       "(conformance/requirements.json); result is valid (2xx only), invalid (4xx only) or acceptable (both allowed)."},
      "Statuses from the draft joined with the catalogue readings named in readings (conformance/requirements.json); "
      "tigress-vectors verify runs the reference relay core on every test.");
  notes(file);
  const std::string initiator(kInitiatorClaim), recipient(kRecipientClaim), rid(kTestRequestId);

  auto group = [&](const std::string& endpoint, const std::string& method, const std::string& path,
                   const std::vector<std::string>& setup, std::optional<std::size_t> max_body = std::nullopt) {
    OJson params;
    params["type"] = "RequestBodyTest";
    params["endpoint"] = endpoint;
    params["method"] = method;
    params["path"] = path;
    params["relayTime"] = std::string(kRelayTimeText);
    if (max_body) params["maxBodyBytes"] = *max_body;
    params["initiatorClaim"] = initiator;
    params["recipientClaim"] = recipient;
    params["setup"] = setup;
    return file.group(params);
  };
  std::optional<Error> failure;
  auto add = [&](std::size_t g, const Request& r) {
    auto statuses = accepted_statuses(*catalogue, r.draft, r.readings);
    if (!statuses) {
      if (!failure) failure = make_error(r.comment + ": " + statuses.error().message());
      return;
    }
    std::vector<std::string> requirements;
    auto cite = [&](const std::string& id) {
      if (std::find(requirements.begin(), requirements.end(), id) == requirements.end()) requirements.push_back(id);
    };
    for (const auto& reading : r.readings) cite(reading.substr(0, reading.find(':')));
    for (const auto& id : r.context) cite(id);
    OJson t = file.test(r.comment, r.flags);
    t["requirements"] = requirements;
    t["readings"] = r.readings;
    t["deviceClaim"] = r.claim ? OJson(*r.claim) : OJson(nullptr);
    t["requestId"] = r.request_id ? OJson(*r.request_id) : OJson(nullptr);
    t["contentType"] = r.content_type ? OJson(*r.content_type) : OJson(nullptr);
    if (r.mailbox_id) t["mailboxId"] = *r.mailbox_id;
    t["body"] = r.body;
    t["expectedStatus"] = *statuses;
    std::string status_class;
    const std::string result = classify(*statuses, status_class);
    t["statusClass"] = status_class;
    t["result"] = result;
    file.add_test(g, std::move(t));
  };
  const std::string create_setup = "CreateMailbox by initiatorClaim with " + std::string(kSetupCreateBody);
  const std::string read_setup = "ReadSecureContent by recipientClaim (binds it as the recipient)";
  // AMB-01: a missing or malformed claim answers 400 on Create and Update, 401 where the claim
  // is what is checked (Read, Delete, Relinquish), and 400, 401 or 403 in the lenient reading.
  const std::vector<std::string> kBadClaimCreate = {"AMB-01:strict-create-update", "AMB-01:lenient"};
  const std::vector<std::string> kBadClaimChecked = {"AMB-01:strict-claim-checked", "AMB-01:lenient"};
  auto with = [](std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };

  // ---- CreateMailbox (6.1) ----
  const std::size_t create = group("CreateMailbox", "POST", "/v1/m", {});
  auto c = [&](std::string comment, std::vector<std::string> flags, std::vector<std::string> readings, std::string body,
               std::vector<int> draft, std::vector<std::string> context = {}) {
    add(create, req(std::move(comment), std::move(flags), std::move(readings), std::move(body), std::move(draft),
                    initiator, rid, std::string("application/json"), std::nullopt, std::move(context)));
  };
  const std::string exp = quoted(kOneHourLater);
  c("full request", {"Typical"}, {}, create_with(config(quoted("RWD"), exp)), {200});
  c("without mailboxConfiguration", {"Optional"}, {}, create_with(""), {200}, {"AMB-12"});
  c("without accessRights", {"Optional"}, {}, create_with(config("", exp)), {200});
  c("with notificationToken", {"Optional"}, {},
    create_with(config(quoted("RD"), exp), R"(,"notificationToken":)" + kToken), {200});
  for (const char* rights : {"R", "W", "D", "DR", "WDR"}) {
    c(std::string("accessRights ") + rights, {"Typical"}, {}, create_with(config(quoted(rights), exp)), {200},
      {"AMB-11"});
  }
  c("empty displayInformation strings: the draft requires only strings; an empty imageURL is not an https URL, which "
    "the lenient reading of AMB-63 refuses",
    {"Typical"}, {"AMB-63"},
    R"({"payload":)" + kPayload + R"(,"displayInformation":{"title":"","description":"","imageURL":""}})", {200});
  c("unknown top-level member", {"UnknownMember"}, {"AMB-59"}, create_with("", R"(,"extension":{"a":1})"), {});
  c("body not JSON", {"NotJson"}, {}, "payload=x", {400});
  c("empty body", {"NotJson"}, {}, "", {400});
  c("JSON array", {"NotJson"}, {}, "[" + create_with("") + "]", {400});
  c("JSON null", {"NotJson"}, {}, "null", {400});
  c("truncated JSON", {"NotJson"}, {}, create_with("").substr(0, 40), {400});
  c("payload missing", {"MissingField"}, {}, R"({"displayInformation":)" + kDisplayJson + "}", {400});
  c("displayInformation missing", {"MissingField"}, {}, R"({"payload":)" + kPayload + "}", {400});
  c("payload.type missing", {"MissingField"}, {},
    R"({"payload":{"data":"AAAA"},"displayInformation":)" + kDisplayJson + "}", {400});
  c("payload.data missing", {"MissingField"}, {},
    R"({"payload":{"type":"AEAD_AES_128_GCM"},"displayInformation":)" + kDisplayJson + "}", {400});
  c("displayInformation.title missing", {"MissingField"}, {},
    R"({"payload":)" + kPayload +
        R"(,"displayInformation":{"description":"d","imageURL":"https://example.com/i.png"}})",
    {400});
  c("payload a string that is not JSON: even the lenient reading of AMB-18 needs the string to parse to the object",
    {"WrongType"}, {}, R"({"payload":")" + std::string("AAAA") + R"(","displayInformation":)" + kDisplayJson + "}",
    {400}, {"AMB-18"});
  c("payload null", {"WrongType"}, {}, R"({"payload":null,"displayInformation":)" + kDisplayJson + "}", {400});
  c("payload.data a number", {"WrongType"}, {},
    R"({"payload":{"type":"AEAD_AES_128_GCM","data":12},"displayInformation":)" + kDisplayJson + "}", {400},
    {"AMB-47"});
  c("payload.type an array", {"WrongType"}, {},
    R"({"payload":{"type":["AEAD_AES_128_GCM"],"data":"AAAA"},"displayInformation":)" + kDisplayJson + "}", {400},
    {"AMB-47"});
  c("displayInformation.description a number", {"WrongType"}, {},
    R"({"payload":)" + kPayload +
        R"(,"displayInformation":{"title":"t","description":5,"imageURL":"https://example.com/i.png"}})",
    {400});
  c("mailboxConfiguration a string", {"WrongType"}, {}, create_with(quoted("RWD")), {400});
  c("expiration a number", {"WrongType", "BadTimestamp"}, {}, create_with(config(quoted("RD"), "1900003600")), {400});
  c("accessRights a number", {"WrongType", "BadRights"}, {}, create_with(config("7", exp)), {400});
  c("accessRights an array", {"WrongType", "BadRights"}, {}, create_with(config(R"(["R","D"])", exp)), {400});
  c("notificationToken a string", {"WrongType"}, {}, create_with("", R"(,"notificationToken":"abc")"), {400});
  c("duplicate payload member", {"DuplicateMember"}, {},
    R"({"payload":)" + kPayload + R"(,"payload":)" + kPayload + R"(,"displayInformation":)" + kDisplayJson + "}",
    {400, 200});
  for (const char* bad :
       {"2030-02-30T00:00:00Z", "2030-03-17 18:46:40", "2030-03-17T18:46:40", "tomorrow", "", "2030-03-17T25:00:00Z"}) {
    c(std::string("expiration \"") + bad + "\"", {"BadTimestamp"}, {}, create_with(config(quoted("RD"), quoted(bad))),
      {400}, {"AMB-15"});
  }
  c("expiration with offset", {"TimestampForm"}, {"AMB-15"},
    create_with(config(quoted("RD"), quoted("2030-03-17T20:46:40+02:00"))), {});
  c("expiration with fraction", {"TimestampForm"}, {"AMB-15"},
    create_with(config(quoted("RD"), quoted("2030-03-17T18:46:40.5Z"))), {});
  c("expiration in lower case", {"TimestampForm"}, {"AMB-15"},
    create_with(config(quoted("RD"), quoted("2030-03-17t18:46:40z"))), {});
  c("expiration on a leap second: RFC 3339 syntax, but no relay can know whether that :60 will exist", {"LeapSecond"},
    {"AMB-15"}, create_with(config(quoted("RD"), quoted("2030-06-30T23:59:60Z"))), {});
  c("expiration in the past", {"PastExpiration"}, {"AMB-13"},
    create_with(config(quoted("RD"), quoted("2020-01-01T00:00:00Z"))), {});
  c("expiration equal to the relay's clock", {"PastExpiration"}, {"AMB-13"},
    create_with(config(quoted("RD"), quoted(kRelayTimeText))), {});
  c("expiration in 2999", {"LongLifetime"}, {"AMB-14"},
    create_with(config(quoted("RD"), quoted("2999-01-01T00:00:00Z"))), {});
  c("mailboxConfiguration without expiration", {"NoExpiration"}, {"AMB-12"}, create_with(R"({"accessRights":"RD"})"),
    {});
  c("empty mailboxConfiguration", {"NoExpiration"}, {"AMB-12"}, create_with("{}"), {});
  for (const char* rights : {"", "rwd", "RR", "RX", "R W"}) {
    c(std::string("accessRights \"") + rights + "\"", {"RightsSpelling"}, {"AMB-11"},
      create_with(config(quoted(rights), exp)), {});
  }
  c("incomplete notificationToken", {"IncompleteToken"}, {"AMB-22"},
    create_with("", R"(,"notificationToken":{"type":"apns"})"), {});
  add(create,
      req("Content-Type text/plain", {"MediaType"}, {"AMB-28"}, create_with(""), {}, initiator, rid, "text/plain"));
  add(create, req("Content-Type with charset parameter", {"Typical"}, {}, create_with(""), {200}, initiator, rid,
                  "application/json; charset=utf-8", std::nullopt, {"AMB-28"}));
  add(create, req("no Content-Type", {"MediaType"}, {"AMB-28"}, create_with(""), {}, initiator, rid, std::nullopt));
  add(create, req("device claim not a UUID: accepted as any token (AMB-39) or refused as a malformed claim (AMB-01)",
                  {"BadUuid"}, with({"AMB-39"}, kBadClaimCreate), create_with(""), {}, "device-1", rid,
                  std::string("application/json"), std::nullopt, {"AMB-57"}));
  add(create,
      req("device claim in upper case", {"Typical"}, {}, create_with(""), {200}, "3F1C5B7E-2A4D-4E8F-9B6A-1C2D3E4F5A6B",
          rid, std::string("application/json"), std::nullopt, {"AMB-57"}));
  add(create, req("device claim missing", {"MissingHeader"}, kBadClaimCreate, create_with(""), {}, std::nullopt, rid));
  add(create, req("request ID missing", {"MissingHeader"}, {}, create_with(""), {400, 200}, initiator, std::nullopt,
                  std::string("application/json"), std::nullopt, {"AMB-02"}));
  add(create, req("request ID not a UUID", {"BadUuid"}, {"AMB-40"}, create_with(""), {}, initiator, "request-1"));
  const std::string payload_256 = R"({"type":"AEAD_AES_256_GCM","data":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw="})";
  c("payload.type AEAD_AES_256_GCM: the second type section 7.2 names, never an 'unknown type'", {"Typical"},
    {"AMB-47:strict"}, R"({"payload":)" + payload_256 + R"(,"displayInformation":)" + kDisplayJson + "}", {200});
  c("payload.type unknown (AEAD_CHACHA20_POLY1305): opaque to the relay, or refused by the lenient reading of AMB-47",
    {"PayloadType"}, {"AMB-47"},
    R"({"payload":{"type":"AEAD_CHACHA20_POLY1305","data":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw="},"displayInformation":)" +
        kDisplayJson + "}",
    {});
  c("payload sent as a JSON string whose parse is the payload object: refused (strict) or accepted (lenient reading of "
    "AMB-18)",
    {"StringEncoded"}, {"AMB-18"},
    R"({"payload":")" +
        std::string(R"({\"type\":\"AEAD_AES_128_GCM\",\"data\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw=\"})") +
        R"(","displayInformation":)" + kDisplayJson + "}",
    {});
  c("non-ASCII displayInformation strings (UTF-8: umlaut, Cyrillic, an emoji): JSON strings are Unicode (RFC 8259 "
    "section 8.1)",
    {"NonAscii"}, {},
    R"({"payload":)" + kPayload + "," +
        R"("displayInformation":{"title":"Autoschlüssel 🔑","description":"ключ от машины","imageURL":"https://example.com/car.png"}})",
    {200});
  c("non-ASCII string written as JSON escapes (\\u00fc, a surrogate pair)", {"NonAscii"}, {},
    R"({"payload":)" + kPayload + "," +
        R"("displayInformation":{"title":"Autoschl\u00fcssel \ud83d\udd11","description":"d","imageURL":"https://example.com/car.png"}})",
    {200});

  // ---- CreateMailbox against a relay whose body limit is known (AMB-48) ----
  constexpr std::size_t kMaxBody = 64 * 1024;
  const std::size_t sized = group("CreateMailbox", "POST", "/v1/m", {}, kMaxBody);
  auto body_of_size = [&](std::size_t size) {
    const std::string head = R"({"payload":)" + kPayload + R"(,"displayInformation":{"title":")";
    const std::string tail = R"(","description":"d","imageURL":"https://example.com/car.png"}})";
    return head + std::string(size - head.size() - tail.size(), 'k') + tail;
  };
  add(sized, req("body of exactly maxBodyBytes: within the relay's limit", {"SizeLimit"}, {}, body_of_size(kMaxBody),
                 {200}, initiator, rid, std::string("application/json"), std::nullopt, {"AMB-48"}));
  add(sized, req("body one byte over maxBodyBytes: 413 (strict) or 400 (lenient reading of AMB-48)", {"SizeLimit"},
                 {"AMB-48"}, body_of_size(kMaxBody + 1), {}, initiator, rid));

  // ---- UpdateMailbox (6.2) ----
  const std::size_t update = group("UpdateMailbox", "PUT", "/v1/m/{mailboxId}", {create_setup});
  auto u = [&](std::string comment, std::vector<std::string> flags, std::vector<std::string> readings, std::string body,
               std::vector<int> draft, std::vector<std::string> context = {}) {
    add(update, req(std::move(comment), std::move(flags), std::move(readings), std::move(body), std::move(draft),
                    initiator, rid, std::string("application/json"), std::nullopt, std::move(context)));
  };
  u("new payload", {"Typical"}, {}, R"({"payload":)" + kPayload + "}", {200});
  u("with notificationToken", {"Optional"}, {}, R"({"payload":)" + kPayload + R"(,"notificationToken":)" + kToken + "}",
    {200});
  u("with displayInformation (outside the Update schema)", {"UnknownMember"}, {"AMB-58"},
    R"({"payload":)" + kPayload + R"(,"displayInformation":)" + kDisplayJson + "}", {});
  u("payload missing", {"MissingField"}, {}, "{}", {400});
  u("payload.data a boolean", {"WrongType"}, {}, R"({"payload":{"type":"AEAD_AES_128_GCM","data":true}})", {400},
    {"AMB-47"});
  u("payload an array", {"WrongType"}, {}, R"({"payload":[]})", {400});
  u("body not JSON", {"NotJson"}, {}, "{payload}", {400});
  u("empty body", {"NotJson"}, {}, "", {400});
  u("incomplete notificationToken", {"IncompleteToken"}, {"AMB-22"},
    R"({"payload":)" + kPayload + R"(,"notificationToken":{"tokenData":"ab"}})", {});
  add(update, req("device claim missing", {"MissingHeader"}, kBadClaimCreate, R"({"payload":)" + kPayload + "}", {},
                  std::nullopt, rid));
  add(update, req("request ID missing", {"MissingHeader"}, {}, R"({"payload":)" + kPayload + "}", {400, 200}, initiator,
                  std::nullopt, std::string("application/json"), std::nullopt, {"AMB-02"}));
  add(update, req("mailbox ID not a UUID", {"BadUuid"}, {"AMB-26"}, R"({"payload":)" + kPayload + "}", {}, initiator,
                  rid, "application/json", "mailbox-1"));
  add(update, req("by a claim no mailbox binds (no recipient has read yet): only bound claims update (section 4.1), "
                  "401 or 403 (AMB-25)",
                  {"Unbound"}, {"AMB-25"}, R"({"payload":)" + kPayload + "}", {}, recipient, rid));

  // ---- ReadSecureContent (6.5) ----
  const std::size_t read = group("ReadSecureContent", "POST", "/v1/m/{mailboxId}", {create_setup});
  auto r = [&](std::string comment, std::vector<std::string> flags, std::vector<std::string> readings, std::string body,
               std::vector<int> draft, std::optional<std::string> type = "application/json") {
    add(read, req(std::move(comment), std::move(flags), std::move(readings), std::move(body), std::move(draft),
                  recipient, rid, std::move(type)));
  };
  // AMB-07: a non-empty Read body (JSON or not) may be refused with 400 or 415 (lenient).
  r("empty body", {"Typical"}, {"AMB-07:strict"}, "", {}, std::nullopt);
  r("empty object: a non-empty body, which the lenient reading of AMB-07 may refuse", {"Typical"}, {"AMB-07"}, "{}",
    {});
  r("recipient notificationToken: a non-empty body, which the lenient reading of AMB-07 may refuse", {"Optional"},
    {"AMB-07"}, R"({"notificationToken":)" + kToken + "}", {});
  r("unknown member", {"UnknownMember"}, {"AMB-07", "AMB-59"}, R"({"hello":"world"})", {});
  r("body not JSON", {"NotJson"}, {"AMB-07"}, "hello", {});
  r("incomplete notificationToken", {"IncompleteToken"}, {"AMB-07", "AMB-22"},
    R"({"notificationToken":{"type":"apns"}})", {});
  add(read, req("device claim missing", {"MissingHeader"}, kBadClaimChecked, "", {}, std::nullopt, rid, std::nullopt));
  add(read, req("device claim not a UUID: accepted as any token (AMB-39) or refused as a malformed claim (AMB-01)",
                {"BadUuid"}, with({"AMB-39"}, kBadClaimChecked), "", {}, "reader-1", rid, std::nullopt));
  add(read, req("mailbox ID not a UUID", {"BadUuid"}, {"AMB-26"}, "", {}, recipient, rid, std::nullopt, "not-a-uuid"));
  add(read, req("unknown mailbox ID", {"Typical"}, {"AMB-26:strict"}, "", {}, recipient, rid, std::nullopt,
                "0e9f1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b"));

  // ---- DeleteMailbox (6.3) ----
  const std::size_t del = group("DeleteMailbox", "DELETE", "/v1/m/{mailboxId}", {create_setup});
  add(del, req("no body", {"Typical"}, {}, "", {200}, initiator, rid, std::nullopt));
  add(del, req("device claim missing", {"MissingHeader"}, kBadClaimChecked, "", {}, std::nullopt, rid, std::nullopt));
  add(del, req("request ID missing", {"MissingHeader"}, {}, "", {400, 200}, initiator, std::nullopt, std::nullopt,
               std::nullopt, {"AMB-02"}));
  add(del, req("device claim of a stranger", {"Typical"}, {"AMB-25"}, "", {}, std::string(kRecipientClaim), rid,
               std::nullopt, std::nullopt, {"AMB-34"}));
  add(del, req("mailbox ID not a UUID", {"BadUuid"}, {"AMB-26"}, "", {}, initiator, rid, std::nullopt,
               "0e9f1a2b3c4d4e5f8a6b7c8d9e0f1a2b"));

  // ---- RelinquishMailbox (6.6) ----
  const std::size_t rel = group("RelinquishMailbox", "PATCH", "/v1/m/{mailboxId}", {create_setup, read_setup});
  add(rel, req("no body", {"Typical"}, {}, "", {200}, recipient, rid, std::nullopt, std::nullopt, {"AMB-27"}));
  add(rel, req("JSON body", {"IgnoredBody"}, {}, R"({"reason":"done"})", {200}, recipient, rid,
               std::string("application/json"), std::nullopt, {"AMB-27"}));
  add(rel, req("non-JSON body", {"IgnoredBody"}, {}, "garbage", {200}, recipient, rid, "text/plain", std::nullopt,
               {"AMB-27"}));
  add(rel, req("by the initiator", {"Typical"}, {"AMB-31"}, "", {}, initiator, rid, std::nullopt));
  add(rel, req("device claim missing", {"MissingHeader"}, kBadClaimChecked, "", {}, std::nullopt, rid, std::nullopt));

  if (failure) return *failure;
  auto doc = file.finish();
  if (!doc) return doc.error();
  return std::vector<GeneratedFile>{{"request_body_test.json", std::move(*doc)}};
}

}  // namespace tigress::vectors
