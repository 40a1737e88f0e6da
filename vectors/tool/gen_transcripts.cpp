// Protocol transcripts: relay-independent request sequences with every acceptable outcome, for
// `tigress-conform replay`. Values that must be fresh per replay are placeholders (${name},
// declared in "fresh"), values taken from answers are captures, ${time+N} is the replay clock
// plus N seconds in the draft's Z form, and marks name instants a request sets (an expiration)
// that waits and acceptances count from, with the replay's expiry grace. A step's statuses are
// those the draft decides joined with those of the catalogue readings it names
// (conformance/requirements.json), and every requirement a transcript lists is named by a step
// that exercises it.
#include <algorithm>
#include <iterator>
#include <optional>

#include "conformance/framework/case_context.hpp"
#include "vectors/tool/catalogue_statuses.hpp"
#include "vectors/tool/generators.hpp"

namespace tigress::vectors {
namespace {

// What a step accepts: the draft's statuses plus those of the named readings.
struct Outcome {
  std::vector<int> draft;
  std::vector<std::string> readings;
};
const Outcome kOk = {{200}, {}};
const Outcome kNotFound = {{404}, {}};
const Outcome kUnauthorised = {{}, {"AMB-25"}};     // 401, or 403 wherever 401
const Outcome kRefusedByRights = {{}, {"AMB-10"}};  // 401, 403 or 405
const Outcome kExpired = {{}, {"AMB-16"}};          // 404, or 410
const Outcome kPreviewGone = {{}, {"AMB-17"}};      // 404, or 410 (expired or deleted)
const Outcome kCreated = {{200, 201}, {}};          // AMB-24: a 201 first answer is an interop risk, not a failure

const OJson kPayload1 = {{"type", "AEAD_AES_128_GCM"}, {"data", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw="}};
const OJson kPayload2 = {{"type", "AEAD_AES_128_GCM"}, {"data", "ERERERERERERERERERERERERERERERERERERERE="}};
const OJson kDisplay = {
    {"title", "Car Key"}, {"description", "A key to my car"}, {"imageURL", "https://example.com/car.png"}};

class Transcript {
 public:
  Transcript(const conformance::Catalogue& catalogue, std::string name, std::string description,
             std::vector<std::string> requirements, std::vector<std::string> fresh)
      : catalogue_(catalogue) {
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

  // A request step exercising `requirements`. claim/rid are placeholder names ("" omits the
  // header); body is sent as JSON unless null. The Request-ID echo (MBX-RID-03) is expected on
  // the 2xx answers only: AMB-05 lets error answers omit it.
  OJson& send(const std::string& comment, const std::vector<std::string>& requirements, const std::string& method,
              const std::string& path, const std::string& claim, const std::string& rid, const OJson& body,
              const Outcome& outcome) {
    OJson step;
    step["comment"] = comment;
    step["requirements"] = requirements;
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
    const std::vector<int> allowed = statuses(outcome, comment);
    expect["status"] = allowed;
    expect["readings"] = outcome.readings;
    std::vector<int> successes;
    std::copy_if(allowed.begin(), allowed.end(), std::back_inserter(successes),
                 [](int s) { return s >= 200 && s <= 299; });
    if (!rid.empty() && !successes.empty()) {
      expect["headers"] = OJson{{"Mailbox-Request-ID", "${" + rid + "}"}};
      expect["headersFor"] = successes;
    }
    step["expect"] = expect;
    doc_["steps"].push_back(std::move(step));
    return doc_["steps"].back();
  }
  // Waits until `instant` ({mark, plusSeconds, plusExpiryGrace}) of the replaying clock.
  void wait_until(const OJson& instant, const std::string& comment) {
    OJson step;
    step["comment"] = comment;
    step["waitUntil"] = instant;
    doc_["steps"].push_back(std::move(step));
  }
  // `step` also accepts the statuses of `outcome` when its request is sent before `instant`.
  void allow_before(OJson& step, const OJson& instant, const Outcome& outcome) {
    OJson before;
    before["instant"] = instant;
    before["status"] = statuses(outcome, step["comment"].get<std::string>());
    before["readings"] = outcome.readings;
    step["expect"]["beforeInstant"] = std::move(before);
  }
  Result<GeneratedFile> finish() {
    if (failure_) return *failure_;
    return GeneratedFile{"transcripts/" + doc_["name"].get<std::string>() + ".json", doc_};
  }

 private:
  std::vector<int> statuses(const Outcome& outcome, const std::string& comment) {
    auto joined = accepted_statuses(catalogue_, outcome.draft, outcome.readings);
    if (!joined && !failure_)
      failure_ = make_error(doc_["name"].get<std::string>() + ", " + comment + ": " + joined.error().message());
    return joined ? *joined : std::vector<int>{};
  }

  const conformance::Catalogue& catalogue_;
  OJson doc_;
  std::optional<Error> failure_;
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
              const std::string& mailbox = "mailbox", const std::vector<std::string>& requirements = {}) {
  OJson& step = t.send("initiator creates the mailbox", requirements, "POST", "/v1/m", claim, rid, body, kCreated);
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

const std::vector<std::string> kReadBody = {"MBX-READ-02"};

Result<GeneratedFile> create_read_bind(const conformance::Catalogue& cat) {
  Transcript t(cat, "create_read_bind", "Create, preview, and the binding of exactly one recipient by its first Read.",
               {"MBX-CREATE-01", "MBX-CREATE-03", "MBX-CREATE-04", "MBX-RID-03", "MBX-READ-01", "MBX-READ-02",
                "MBX-READ-04", "MBX-READ-05", "MBX-READ-09", "MBX-READ-11", "MBX-BIND-03", "MBX-PREVIEW-01"},
               {"initiator", "recipient", "stranger", "rid1", "rid2", "rid3"});
  create(t, "initiator", "rid1", create_body("RWD"), "mailbox",
         {"MBX-CREATE-01", "MBX-CREATE-03", "MBX-CREATE-04", "MBX-RID-03"});
  t.send("the preview is served to anyone, without Tigress headers", {"MBX-PREVIEW-01"}, "GET", "${mailbox}", "", "",
         nullptr, kOk);
  expect_content(t.send("initiator reads: never binds", {"MBX-READ-01", "MBX-READ-02", "MBX-BIND-03"}, "POST",
                        "${mailbox}", "initiator", "", nullptr, kOk),
                 kPayload1);
  expect_content(
      t.send("first other claim reads and binds", {"MBX-READ-01", "MBX-READ-02", "MBX-READ-04", "MBX-BIND-03"}, "POST",
             "${mailbox}", "recipient", "rid3", nullptr, {{}, {"AMB-06:strict"}}),
      kPayload1);
  t.send("a third claim is refused", {"MBX-READ-05"}, "POST", "${mailbox}", "stranger", "", nullptr, kUnauthorised);
  // AMB-06: a Read is never a duplicate (200), or a 201 that still carries the full body.
  expect_content(
      t.send("the recipient reads again, with the same Request-ID", {"MBX-READ-11", "MBX-READ-02", "MBX-READ-05"},
             "POST", "${mailbox}", "recipient", "rid3", nullptr, {{}, {"AMB-06"}}),
      kPayload1);
  t.send("the stranger cannot update", {"MBX-READ-05"}, "PUT", "${mailbox}", "stranger", "rid2",
         {{"payload", kPayload2}}, kUnauthorised);
  expect_content(t.send("the initiator still reads the original payload", {"MBX-READ-09", "MBX-READ-02"}, "POST",
                        "${mailbox}", "initiator", "", nullptr, kOk),
                 kPayload1);
  return t.finish();
}

Result<GeneratedFile> duplicates(const conformance::Catalogue& cat) {
  Transcript t(cat, "duplicate_requests",
               "Repeated Mailbox-Request-IDs: a duplicate answers 201 and executes nothing again.",
               {"MBX-RID-07", "MBX-RID-08", "MBX-RID-09", "MBX-RID-10", "MBX-RID-11", "MBX-RID-13"},
               {"initiator", "recipient", "rid1", "rid2", "rid3", "rid4", "rid5", "rid6"});
  create(t, "initiator", "rid1", create_body("RWD"), "mailbox", {"MBX-RID-07"});
  OJson& dup = t.send("the same Create again (lost answer retried)", {"MBX-RID-07"}, "POST", "/v1/m", "initiator",
                      "rid1", create_body("RWD"), {{201}, {}});
  expect_body(dup, {check("/urlLink", "equalsIfPresent", "${mailboxLink}")});  // AMB-03
  t.send("an Update with a new ID", {"MBX-RID-11"}, "PUT", "${mailbox}", "initiator", "rid2", {{"payload", kPayload2}},
         kOk);
  t.send("the Update's ID again with another body: ignored", {"MBX-RID-08"}, "PUT", "${mailbox}", "initiator", "rid2",
         {{"payload", kPayload1}}, {{201}, {}});
  expect_content(t.send("the first Update's payload is stored", {"MBX-RID-08", "MBX-RID-11"}, "POST", "${mailbox}",
                        "recipient", "", nullptr, kOk),
                 kPayload2);
  t.send("a refused Update (no payload) with a new ID", {"MBX-RID-13"}, "PUT", "${mailbox}", "initiator", "rid6",
         OJson::object(), {{400}, {}});
  t.send("the refused Update's ID again, now valid: processed, since only successes are remembered", {"MBX-RID-13"},
         "PUT", "${mailbox}", "initiator", "rid6", {{"payload", kPayload1}}, kOk);
  expect_content(t.send("the retried Update's payload is stored", {"MBX-RID-13"}, "POST", "${mailbox}", "recipient", "",
                        nullptr, kOk),
                 kPayload1);
  t.send("the recipient relinquishes", {"MBX-RID-09"}, "PATCH", "${mailbox}", "recipient", "rid3", nullptr, kOk);
  // AMB-42: duplicate check first (201) or authorisation first (401; 403 by AMB-25).
  t.send("the Relinquish repeated", {"MBX-RID-09"}, "PATCH", "${mailbox}", "recipient", "rid3", nullptr,
         {{}, {"AMB-42", "AMB-25:lenient"}});
  t.send("the recipient binds again by reading", {}, "POST", "${mailbox}", "recipient", "", nullptr,
         {{200, 401, 403}, {}});  // AMB-32
  t.send("the initiator deletes", {"MBX-RID-10"}, "DELETE", "${mailbox}", "initiator", "rid4", nullptr, kOk);
  t.send("the Delete repeated", {"MBX-RID-10"}, "DELETE", "${mailbox}", "initiator", "rid4", nullptr, {{}, {"AMB-04"}});
  t.send("a new Delete of the deleted mailbox", {"MBX-RID-10"}, "DELETE", "${mailbox}", "initiator", "rid5", nullptr,
         kNotFound);
  return t.finish();
}

Result<GeneratedFile> rights(const conformance::Catalogue& cat) {
  Transcript t(cat, "access_rights",
               "accessRights R, W and D, enforced alike for initiator and recipient; none given: R and D.",
               {"MBX-ACL-01", "MBX-ACL-02", "MBX-ACL-03", "MBX-ACL-04", "MBX-ACL-05", "MBX-DELETE-02"},
               {"initiator", "recipient", "rid1", "rid2", "rid3", "rid4", "rid5", "rid6", "rid7", "rid8", "rid9",
                "rid10", "rid11", "rid12"});
  create(t, "initiator", "rid1", create_body("RD"), "rd");
  t.send("no W right: the initiator cannot update", {"MBX-ACL-02"}, "PUT", "${rd}", "initiator", "rid2",
         {{"payload", kPayload2}}, kRefusedByRights);
  expect_content(t.send("the recipient reads the unchanged payload", {"MBX-ACL-02"}, "POST", "${rd}", "recipient", "",
                        nullptr, kOk),
                 kPayload1);
  t.send("no W right: the bound recipient cannot update either", {"MBX-ACL-05"}, "PUT", "${rd}", "recipient", "rid9",
         {{"payload", kPayload2}}, kRefusedByRights);
  t.send("the bound recipient deletes (D)", {"MBX-DELETE-02", "MBX-ACL-05"}, "DELETE", "${rd}", "recipient", "rid3",
         nullptr, kOk);

  create(t, "initiator", "rid4", create_body("RW"), "rw");
  t.send("no D right: the initiator cannot delete", {"MBX-ACL-03"}, "DELETE", "${rw}", "initiator", "rid5", nullptr,
         kRefusedByRights);
  t.send("the initiator updates (W)", {"MBX-ACL-02"}, "PUT", "${rw}", "initiator", "rid6", {{"payload", kPayload2}},
         kOk);

  create(t, "initiator", "rid7", create_body("D"), "d");
  t.send("no R right: nobody reads", {"MBX-ACL-04"}, "POST", "${d}", "recipient", "", nullptr, kRefusedByRights);
  t.send("the initiator deletes (D)", {"MBX-ACL-03"}, "DELETE", "${d}", "initiator", "rid8", nullptr, kOk);

  OJson defaults;
  defaults["payload"] = kPayload1;
  defaults["displayInformation"] = kDisplay;
  defaults["mailboxConfiguration"] = {{"expiration", "${time+3600}"}};
  create(t, "initiator", "rid10", defaults, "none", {"MBX-ACL-01"});
  t.send("no accessRights: no W right, the initiator cannot update", {"MBX-ACL-01"}, "PUT", "${none}", "initiator",
         "rid11", {{"payload", kPayload2}}, kRefusedByRights);
  expect_content(t.send("no accessRights: R, the recipient reads", {"MBX-ACL-01"}, "POST", "${none}", "recipient", "",
                        nullptr, kOk),
                 kPayload1);
  t.send("no accessRights: D, the initiator deletes", {"MBX-ACL-01"}, "DELETE", "${none}", "initiator", "rid12",
         nullptr, kOk);
  return t.finish();
}

Result<GeneratedFile> delete_mailbox(const conformance::Catalogue& cat) {
  Transcript t(cat, "delete", "Only bound claims delete; afterwards nothing about the mailbox is served.",
               {"MBX-DELETE-01", "MBX-DELETE-03", "MBX-DELETE-04", "MBX-DELETE-05", "MBX-BIND-02"},
               {"initiator", "recipient", "stranger", "rid1", "rid2", "rid3", "rid4", "rid5", "rid6", "rid7"});
  create(t, "initiator", "rid1", create_body("RWD"));
  t.send("before any binding, a stranger cannot delete", {"MBX-DELETE-03"}, "DELETE", "${mailbox}", "stranger", "rid2",
         nullptr, kUnauthorised);
  t.send("the mailbox is still there", {"MBX-DELETE-03"}, "GET", "${mailbox}", "", "", nullptr, kOk);
  t.send("the recipient binds by reading", {"MBX-BIND-02"}, "POST", "${mailbox}", "recipient", "", nullptr, kOk);
  t.send("with a recipient bound, a stranger cannot read", {"MBX-BIND-02"}, "POST", "${mailbox}", "stranger", "",
         nullptr, kUnauthorised);
  t.send("with a recipient bound, a stranger cannot update", {"MBX-BIND-02"}, "PUT", "${mailbox}", "stranger", "rid5",
         {{"payload", kPayload2}}, kUnauthorised);
  t.send("with a recipient bound, a stranger cannot delete", {"MBX-BIND-02", "MBX-DELETE-03"}, "DELETE", "${mailbox}",
         "stranger", "rid6", nullptr, kUnauthorised);
  t.send("the initiator deletes", {"MBX-DELETE-01"}, "DELETE", "${mailbox}", "initiator", "rid3", nullptr, kOk);
  // After a delete only the preview may say 410 (AMB-17); AMB-16 concerns expiry.
  t.send("Read by the recipient after delete", {"MBX-DELETE-05"}, "POST", "${mailbox}", "recipient", "", nullptr,
         kNotFound);
  t.send("Read by the initiator after delete", {"MBX-DELETE-05"}, "POST", "${mailbox}", "initiator", "", nullptr,
         kNotFound);
  t.send("preview after delete", {"MBX-DELETE-05"}, "GET", "${mailbox}", "", "", nullptr, kPreviewGone);
  t.send("Update after delete", {"MBX-DELETE-05"}, "PUT", "${mailbox}", "initiator", "rid7", {{"payload", kPayload2}},
         kNotFound);
  t.send("Relinquish after delete", {"MBX-DELETE-05"}, "PATCH", "${mailbox}", "recipient", "rid4", nullptr, kNotFound);
  t.send("Delete after delete", {"MBX-DELETE-04", "MBX-DELETE-05"}, "DELETE", "${mailbox}", "initiator", "rid2",
         nullptr, kNotFound);
  return t.finish();
}

Result<GeneratedFile> relinquish(const conformance::Catalogue& cat) {
  Transcript t(cat, "relinquish",
               "The bound recipient gives up its binding; the next new claim binds; content survives.",
               {"MBX-RELINQ-01", "MBX-RELINQ-02", "MBX-RELINQ-03", "MBX-RELINQ-04", "MBX-RELINQ-06", "MBX-RELINQ-07"},
               {"initiator", "first", "second", "rid1", "rid2", "rid3", "rid4", "rid5", "rid6"});
  create(t, "initiator", "rid1", create_body("RD"));
  t.send("the first recipient binds", {"MBX-RELINQ-01"}, "POST", "${mailbox}", "first", "", nullptr, kOk);
  t.send("the initiator cannot relinquish", {"MBX-RELINQ-06"}, "PATCH", "${mailbox}", "initiator", "rid2", nullptr,
         {{}, {"AMB-31"}});
  t.send("an unbound claim cannot relinquish", {"MBX-RELINQ-04", "MBX-RELINQ-06"}, "PATCH", "${mailbox}", "second",
         "rid3", nullptr, kUnauthorised);
  t.send("the first recipient relinquishes", {"MBX-RELINQ-01"}, "PATCH", "${mailbox}", "first", "rid4", nullptr, kOk);
  t.send("with no recipient bound, the former recipient's new Relinquish is refused", {"MBX-RELINQ-04"}, "PATCH",
         "${mailbox}", "first", "rid6", nullptr, {{}, {"AMB-31", "AMB-25:lenient"}});
  expect_content(t.send("a second recipient binds by reading", {"MBX-RELINQ-02", "MBX-RELINQ-07"}, "POST", "${mailbox}",
                        "second", "", nullptr, kOk),
                 kPayload1);
  t.send("the first recipient has lost access", {"MBX-RELINQ-03"}, "POST", "${mailbox}", "first", "", nullptr,
         kUnauthorised);
  t.send("the second recipient relinquishes", {"MBX-RELINQ-01"}, "PATCH", "${mailbox}", "second", "rid5", nullptr, kOk);
  t.send("the first recipient may bind again", {"MBX-RELINQ-02"}, "POST", "${mailbox}", "first", "", nullptr,
         {{200, 401, 403}, {}});  // AMB-32
  return t.finish();
}

// The lifetime is long enough that the Read right after creation cannot race the expiry (the
// ${time+N} instant is truncated to the second and the clocks may differ by kClockSkew). The
// timing is stated in the suite's expiry grace, not in fixed seconds: the create step marks its
// expiration, and the replay adds its --expiry-grace (AMB-16; default 60 s, a sweep a minute).
// Just after the expiration a mailbox may still be served (draft 4.3 deletes it when the relay
// next checks), so those steps also accept the live answer while the grace lasts; after the
// expiration plus the grace (and the skew) every endpoint must say it is gone.
constexpr int kLifetime = 4;
constexpr int kClockSkew = 1;

OJson after_expiration(bool plus_grace) {
  return {{"mark", "expiration"}, {"plusSeconds", kClockSkew}, {"plusExpiryGrace", plus_grace}};
}

Result<GeneratedFile> expiry(const conformance::Catalogue& cat) {
  Transcript t(cat, "expiry",
               "A mailbox with a " + std::to_string(kLifetime) +
                   "-second lifetime is served until it expires, may be served during the expiry grace, and then on no "
                   "endpoint.",
               {"MBX-EXP-01", "MBX-EXP-02", "MBX-EXP-03"}, {"initiator", "recipient", "rid1", "rid2", "rid3"});
  OJson& created = create(t, "initiator", "rid1", create_body("RWD", "${time+" + std::to_string(kLifetime) + "}"),
                          "mailbox", {"MBX-EXP-01"});
  created["marks"] = {{"expiration", {{"pointer", "/mailboxConfiguration/expiration"}}}};
  OJson& read = t.send("readable before expiry", {"MBX-EXP-01", "MBX-EXP-03"}, "POST", "${mailbox}", "recipient", "",
                       nullptr, kOk);
  expect_body(read, {check("/payload", "equals", kPayload1), check("/expiration", "type", "string")});
  t.wait_until(after_expiration(false), "the expiration and clock skew (" + std::to_string(kClockSkew) + " s)");
  // Served (the draft's answer to a live mailbox) or gone, while the grace lasts.
  const Outcome served_or_expired = {{200}, kExpired.readings};
  const Outcome served_or_preview_gone = {{200}, kPreviewGone.readings};
  t.allow_before(t.send("Read after the expiration, inside the expiry grace", {"MBX-EXP-01", "MBX-EXP-02"}, "POST",
                        "${mailbox}", "recipient", "", nullptr, kExpired),
                 after_expiration(true), served_or_expired);
  t.allow_before(t.send("preview after the expiration, inside the expiry grace", {"MBX-EXP-01", "MBX-EXP-02"}, "GET",
                        "${mailbox}", "", "", nullptr, kPreviewGone),
                 after_expiration(true), served_or_preview_gone);
  t.wait_until(after_expiration(true), "the expiration, expiry grace (--expiry-grace, AMB-16) and clock skew (" +
                                           std::to_string(kClockSkew) + " s)");
  t.send("Read after expiry and grace", {"MBX-EXP-01", "MBX-EXP-02"}, "POST", "${mailbox}", "recipient", "", nullptr,
         kExpired);
  t.send("preview after expiry and grace", {"MBX-EXP-01"}, "GET", "${mailbox}", "", "", nullptr, kPreviewGone);
  t.send("Update after expiry and grace", {"MBX-EXP-01"}, "PUT", "${mailbox}", "initiator", "rid2",
         {{"payload", kPayload2}}, kExpired);
  t.send("Delete after expiry and grace", {"MBX-EXP-01"}, "DELETE", "${mailbox}", "initiator", "rid3", nullptr,
         kExpired);
  return t.finish();
}

Result<GeneratedFile> unknown_mailbox(const conformance::Catalogue& cat) {
  Transcript t(cat, "unknown_mailbox",
               "Every endpoint answers 404 for a mailbox that never existed, whatever the claim.",
               {"MBX-READ-07", "MBX-UPDATE-07", "MBX-DELETE-04", "MBX-RELINQ-05", "MBX-PREVIEW-03"},
               {"nobody", "claim", "rid1", "rid2", "rid3"});
  const std::string path = "/v1/m/${nobody}";
  t.send("preview", {"MBX-PREVIEW-03"}, "GET", path, "", "", nullptr, kNotFound);
  t.send("Read", {"MBX-READ-07"}, "POST", path, "claim", "", nullptr, kNotFound);
  t.send("Update", {"MBX-UPDATE-07"}, "PUT", path, "claim", "rid1", {{"payload", kPayload1}}, kNotFound);
  t.send("Delete", {"MBX-DELETE-04"}, "DELETE", path, "claim", "rid2", nullptr, kNotFound);
  t.send("Relinquish", {"MBX-RELINQ-05"}, "PATCH", path, "claim", "rid3", nullptr, kNotFound);
  t.send("unknown API version", {}, "POST", "/v2/m", "claim", "rid1", create_body("RD"), {{}, {"AMB-29"}});
  return t.finish();
}

}  // namespace

Result<std::vector<GeneratedFile>> generate_transcripts() {
  auto catalogue = load_vectors_catalogue();
  if (!catalogue) return catalogue.error();
  using Make = Result<GeneratedFile> (*)(const conformance::Catalogue&);
  std::vector<GeneratedFile> out;
  for (Make make : {&create_read_bind, &duplicates, &rights, &delete_mailbox, &relinquish, &expiry, &unknown_mailbox}) {
    auto file = make(*catalogue);
    if (!file) return file.error();
    out.push_back(std::move(*file));
  }
  return out;
}

}  // namespace tigress::vectors
