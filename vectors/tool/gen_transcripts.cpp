// Protocol transcripts: relay-independent request sequences with every acceptable outcome, for
// `tigress-conform replay`. Values that must be fresh per replay are placeholders (${name},
// declared in "fresh"), values taken from answers are captures, and ${time+N} is the replay
// clock plus N seconds in the draft's Z form. Statuses follow the catalogue's AMB entries.
#include "vectors/tool/generators.hpp"

namespace tigress::vectors {
namespace {

const std::vector<int> kUnauthorised = {401, 403};          // AMB-25: 403 wherever 401
const std::vector<int> kRefusedByRights = {401, 403, 405};  // AMB-10
const std::vector<int> kGone = {404, 410};                  // AMB-16, AMB-17
const std::vector<int> kCreated = {200, 201};               // AMB-24: a 201 first answer is an interop risk, not a failure

const OJson kPayload1 = {{"type", "AEAD_AES_128_GCM"}, {"data", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw="}};
const OJson kPayload2 = {{"type", "AEAD_AES_128_GCM"}, {"data", "ERERERERERERERERERERERERERERERERERERERE="}};
const OJson kDisplay = {{"title", "Car Key"}, {"description", "A key to my car"}, {"imageURL", "https://example.com/car.png"}};

class Transcript {
 public:
  Transcript(std::string name, std::string description, std::vector<std::string> requirements,
             std::vector<std::string> fresh) {
    doc_["schema"] = "transcript_schema_v1.json";
    doc_["generatorVersion"] = std::string(kVectorsVersion);
    doc_["name"] = std::move(name);
    doc_["description"] = std::move(description);
    doc_["requirements"] = std::move(requirements);
    OJson declared = OJson::object();
    for (const auto& f : fresh) declared[f] = "uuid";
    doc_["fresh"] = declared;
    doc_["steps"] = OJson::array();
  }

  // A request step. claim/rid are placeholder names ("" omits the header); body is sent as JSON
  // unless null.
  OJson& send(const std::string& comment, const std::string& method, const std::string& path,
              const std::string& claim, const std::string& rid, const OJson& body, std::vector<int> statuses) {
    OJson step;
    step["comment"] = comment;
    OJson request;
    request["method"] = method;
    request["path"] = path;
    OJson headers = OJson::object();
    if (!claim.empty()) headers["Mailbox-Device-Claim"] = "${" + claim + "}";
    if (!rid.empty()) headers["Mailbox-Request-ID"] = "${" + rid + "}";
    if (!body.is_null()) headers["Content-Type"] = "application/json";
    request["headers"] = headers;
    if (!body.is_null()) request["json"] = body;
    step["request"] = request;
    OJson expect;
    expect["status"] = std::move(statuses);
    if (!rid.empty()) expect["headers"] = OJson{{"Mailbox-Request-ID", "${" + rid + "}"}};
    step["expect"] = expect;
    doc_["steps"].push_back(std::move(step));
    return doc_["steps"].back();
  }
  void wait(int seconds, const std::string& comment) {
    OJson step;
    step["comment"] = comment;
    step["wait"] = seconds;
    doc_["steps"].push_back(std::move(step));
  }
  GeneratedFile finish() { return {"transcripts/" + doc_["name"].get<std::string>() + ".json", doc_}; }

 private:
  OJson doc_;
};

OJson check(const std::string& pointer, const std::string& op, OJson value) {
  OJson c;
  c["pointer"] = pointer;
  c[op] = std::move(value);
  return c;
}

void expect_body(OJson& step, std::vector<OJson> checks) { step["expect"]["body"] = std::move(checks); }

OJson create_body(const std::string& rights, const std::string& expiration = "${time+3600}") {
  OJson body;
  body["payload"] = kPayload1;
  body["displayInformation"] = kDisplay;
  body["mailboxConfiguration"] = {{"accessRights", rights}, {"expiration", expiration}};
  return body;
}

// Create by `claim`, capturing the mailbox path as ${mailbox} and the link as ${link}.
OJson& create(Transcript& t, const std::string& claim, const std::string& rid, const OJson& body,
              const std::string& mailbox = "mailbox") {
  OJson& step = t.send("initiator creates the mailbox", "POST", "/v1/m", claim, rid, body, kCreated);
  expect_body(step, {check("/urlLink", "type", "string"), check("/isPushNotificationSupported", "type", "boolean")});
  step["capture"] = OJson::object();
  step["capture"][mailbox] = {{"pointer", "/urlLink"}, {"part", "path"}};
  step["capture"][mailbox + "Link"] = {{"pointer", "/urlLink"}, {"part", "whole"}};
  return step;
}

void expect_content(OJson& step, const OJson& payload) {
  expect_body(step, {check("/payload", "equals", payload), check("/displayInformation", "equals", kDisplay),
                     check("/expiration", "type", "string")});
}

GeneratedFile create_read_bind() {
  Transcript t("create_read_bind", "Create, preview, and the binding of exactly one recipient by its first Read.",
               {"MBX-CREATE-01", "MBX-CREATE-03", "MBX-CREATE-04", "MBX-RID-03", "MBX-READ-01", "MBX-READ-02",
                "MBX-READ-04", "MBX-READ-05", "MBX-READ-09", "MBX-READ-11", "MBX-BIND-03"},
               {"initiator", "recipient", "stranger", "rid1", "rid2"});
  create(t, "initiator", "rid1", create_body("RWD"));
  t.send("the preview is served to anyone", "GET", "${mailbox}", "", "", nullptr, {200});
  expect_content(t.send("initiator reads: never binds", "POST", "${mailbox}", "initiator", "", nullptr, {200}), kPayload1);
  expect_content(t.send("first other claim reads and binds", "POST", "${mailbox}", "recipient", "", nullptr, {200}), kPayload1);
  t.send("a third claim is refused", "POST", "${mailbox}", "stranger", "", nullptr, kUnauthorised);
  expect_content(t.send("the recipient reads again", "POST", "${mailbox}", "recipient", "", nullptr, {200}), kPayload1);
  t.send("the stranger cannot update", "PUT", "${mailbox}", "stranger", "rid2", {{"payload", kPayload2}}, kUnauthorised);
  expect_content(t.send("the initiator still reads the original payload", "POST", "${mailbox}", "initiator", "", nullptr, {200}), kPayload1);
  return t.finish();
}

GeneratedFile duplicates() {
  Transcript t("duplicate_requests", "Repeated Mailbox-Request-IDs: a duplicate answers 201 and executes nothing again.",
               {"MBX-RID-07", "MBX-RID-08", "MBX-RID-09", "MBX-RID-10", "MBX-RID-11", "MBX-RID-13"},
               {"initiator", "recipient", "rid1", "rid2", "rid3", "rid4", "rid5"});
  create(t, "initiator", "rid1", create_body("RWD"));
  OJson& dup = t.send("the same Create again (lost answer retried)", "POST", "/v1/m", "initiator", "rid1", create_body("RWD"), {201});
  expect_body(dup, {check("/urlLink", "equalsIfPresent", "${mailboxLink}")});  // AMB-03
  t.send("an Update with a new ID", "PUT", "${mailbox}", "initiator", "rid2", {{"payload", kPayload2}}, {200});
  t.send("the Update's ID again with another body: ignored", "PUT", "${mailbox}", "initiator", "rid2", {{"payload", kPayload1}}, {201});
  expect_content(t.send("the first Update's payload is stored", "POST", "${mailbox}", "recipient", "", nullptr, {200}), kPayload2);
  t.send("the recipient relinquishes", "PATCH", "${mailbox}", "recipient", "rid3", nullptr, {200});
  t.send("the Relinquish repeated", "PATCH", "${mailbox}", "recipient", "rid3", nullptr, {201, 401, 403});  // AMB-42
  t.send("the recipient binds again by reading", "POST", "${mailbox}", "recipient", "", nullptr, {200, 401, 403});  // AMB-32
  t.send("the initiator deletes", "DELETE", "${mailbox}", "initiator", "rid4", nullptr, {200});
  t.send("the Delete repeated", "DELETE", "${mailbox}", "initiator", "rid4", nullptr, {404, 201, 200});  // AMB-04
  t.send("a new Delete of the deleted mailbox", "DELETE", "${mailbox}", "initiator", "rid5", nullptr, {404});
  return t.finish();
}

GeneratedFile rights() {
  Transcript t("access_rights", "accessRights R, W and D, enforced alike for initiator and recipient.",
               {"MBX-ACL-01", "MBX-ACL-02", "MBX-ACL-03", "MBX-ACL-04", "MBX-ACL-05", "MBX-DELETE-02"},
               {"initiator", "recipient", "rid1", "rid2", "rid3", "rid4", "rid5", "rid6", "rid7", "rid8"});
  create(t, "initiator", "rid1", create_body("RD"), "rd");
  t.send("no W right: the initiator cannot update", "PUT", "${rd}", "initiator", "rid2", {{"payload", kPayload2}}, kRefusedByRights);
  expect_content(t.send("the recipient reads the unchanged payload", "POST", "${rd}", "recipient", "", nullptr, {200}), kPayload1);
  t.send("the bound recipient deletes (D)", "DELETE", "${rd}", "recipient", "rid3", nullptr, {200});

  create(t, "initiator", "rid4", create_body("RW"), "rw");
  t.send("no D right: the initiator cannot delete", "DELETE", "${rw}", "initiator", "rid5", nullptr, kRefusedByRights);
  t.send("the initiator updates (W)", "PUT", "${rw}", "initiator", "rid6", {{"payload", kPayload2}}, {200});

  create(t, "initiator", "rid7", create_body("D"), "d");
  t.send("no R right: nobody reads", "POST", "${d}", "recipient", "", nullptr, kRefusedByRights);
  t.send("the initiator deletes (D)", "DELETE", "${d}", "initiator", "rid8", nullptr, {200});
  return t.finish();
}

GeneratedFile delete_mailbox() {
  Transcript t("delete", "Only bound claims delete; afterwards nothing about the mailbox is served.",
               {"MBX-DELETE-01", "MBX-DELETE-03", "MBX-DELETE-04", "MBX-DELETE-05", "MBX-BIND-02"},
               {"initiator", "recipient", "stranger", "rid1", "rid2", "rid3", "rid4"});
  create(t, "initiator", "rid1", create_body("RD"));
  t.send("a stranger cannot delete", "DELETE", "${mailbox}", "stranger", "rid2", nullptr, kUnauthorised);
  t.send("the mailbox is still there", "GET", "${mailbox}", "", "", nullptr, {200});
  t.send("the initiator deletes", "DELETE", "${mailbox}", "initiator", "rid3", nullptr, {200});
  t.send("Read after delete", "POST", "${mailbox}", "recipient", "", nullptr, kGone);
  t.send("preview after delete", "GET", "${mailbox}", "", "", nullptr, kGone);
  t.send("Delete after delete", "DELETE", "${mailbox}", "initiator", "rid4", nullptr, {404});
  return t.finish();
}

GeneratedFile relinquish() {
  Transcript t("relinquish", "The bound recipient gives up its binding; the next new claim binds; content survives.",
               {"MBX-RELINQ-01", "MBX-RELINQ-02", "MBX-RELINQ-03", "MBX-RELINQ-04", "MBX-RELINQ-06", "MBX-RELINQ-07"},
               {"initiator", "first", "second", "rid1", "rid2", "rid3", "rid4", "rid5"});
  create(t, "initiator", "rid1", create_body("RD"));
  t.send("the first recipient binds", "POST", "${mailbox}", "first", "", nullptr, {200});
  t.send("the initiator cannot relinquish", "PATCH", "${mailbox}", "initiator", "rid2", nullptr, {401, 403, 200});  // AMB-31
  t.send("an unbound claim cannot relinquish", "PATCH", "${mailbox}", "second", "rid3", nullptr, kUnauthorised);
  t.send("the first recipient relinquishes", "PATCH", "${mailbox}", "first", "rid4", nullptr, {200});
  expect_content(t.send("a second recipient binds by reading", "POST", "${mailbox}", "second", "", nullptr, {200}), kPayload1);
  t.send("the first recipient has lost access", "POST", "${mailbox}", "first", "", nullptr, kUnauthorised);
  t.send("the second recipient relinquishes", "PATCH", "${mailbox}", "second", "rid5", nullptr, {200});
  t.send("the first recipient may bind again", "POST", "${mailbox}", "first", "", nullptr, {200, 401, 403});  // AMB-32
  return t.finish();
}

GeneratedFile expiry() {
  Transcript t("expiry", "A mailbox with a 2-second lifetime is served until it expires and then on no endpoint.",
               {"MBX-EXP-01", "MBX-EXP-02", "MBX-EXP-03"},
               {"initiator", "recipient", "rid1", "rid2", "rid3"});
  create(t, "initiator", "rid1", create_body("RWD", "${time+2}"));
  OJson& read = t.send("readable before expiry", "POST", "${mailbox}", "recipient", "", nullptr, {200});
  expect_body(read, {check("/payload", "equals", kPayload1)});
  t.wait(4, "lifetime (2 s) plus grace for a periodic sweep (AMB-16)");
  t.send("Read after expiry", "POST", "${mailbox}", "recipient", "", nullptr, kGone);
  t.send("preview after expiry", "GET", "${mailbox}", "", "", nullptr, kGone);
  t.send("Update after expiry", "PUT", "${mailbox}", "initiator", "rid2", {{"payload", kPayload2}}, kGone);
  t.send("Delete after expiry", "DELETE", "${mailbox}", "initiator", "rid3", nullptr, kGone);
  return t.finish();
}

GeneratedFile unknown_mailbox() {
  Transcript t("unknown_mailbox", "Every endpoint answers 404 for a mailbox that never existed, whatever the claim.",
               {"MBX-READ-07", "MBX-DELETE-04", "MBX-RELINQ-05", "MBX-PREVIEW-01"},
               {"nobody", "claim", "rid1", "rid2", "rid3"});
  const std::string path = "/v1/m/${nobody}";
  t.send("preview", "GET", path, "", "", nullptr, {404});
  t.send("Read", "POST", path, "claim", "", nullptr, {404});
  t.send("Update", "PUT", path, "claim", "rid1", {{"payload", kPayload1}}, {404});
  t.send("Delete", "DELETE", path, "claim", "rid2", nullptr, {404});
  t.send("Relinquish", "PATCH", path, "claim", "rid3", nullptr, {404});
  t.send("unknown API version", "POST", "/v2/m", "claim", "rid1", create_body("RD"), {404, 400});  // AMB-29
  return t.finish();
}

}  // namespace

Result<std::vector<GeneratedFile>> generate_transcripts() {
  return std::vector<GeneratedFile>{create_read_bind(), duplicates(), rights(), delete_mailbox(),
                                    relinquish(),       expiry(),     unknown_mailbox()};
}

}  // namespace tigress::vectors
