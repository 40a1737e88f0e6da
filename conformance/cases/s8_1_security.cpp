// Draft section 8.1, security considerations for the relay: confidentiality and integrity
// (8.1.1), network attacks and mailbox identifiers (8.1.2), privacy (8.1.3, with 3.3). Digest
// rows MBX-DES-07, MBX-PRIV-01..04, MBX-ID-01..04, MBX-BIND-*, threat-model rows TM-04, TM-20;
// ambiguities AMB-38 (claim reuse), AMB-51 (the draft's own version-1 example ID).
#include <algorithm>
#include <cmath>
#include <set>

#include "conformance/cases/relay_checks.hpp"
#include "conformance/framework/case_context.hpp"
#include "reference/codec/uuid.hpp"

namespace tigress::conformance {
namespace {

using checks::contains;
using checks::contains_ci;

std::string everything(const harness::HttpResponse& response) {
  std::string text = response.body;
  for (const auto& [name, value] : response.headers) text += "\n" + name + ": " + value;
  return text;
}

// A mailbox whose every secret is distinctive: payloads, claims, a token, a display marker.
struct Secrets {
  MailboxRef box;
  std::string recipient, initiator_token, display_marker;
  nlohmann::json current_payload;
};

Secrets bound_mailbox_with_secrets(CaseContext& ctx) {
  Secrets out;
  auto body = ctx.create_body("RWD");
  out.initiator_token = ctx.random_base64(36);
  out.display_marker = "display-" + ctx.uuid();
  body["notificationToken"] = checks::token(out.initiator_token);
  body["displayInformation"]["description"] = out.display_marker;
  out.box = ctx.create_mailbox(body);
  out.recipient = ctx.bind_recipient(out.box);
  out.current_payload = ctx.payload(72);
  if (auto updated = ctx.update(out.box, out.recipient, {{"payload", out.current_payload}}); updated.status != 200) {
    ctx.setup_refused("UPDATE by the bound recipient", updated);
  }
  return out;
}

// No response to a party that is refused may carry what only bound parties may see.
void check_no_leak(CaseContext& ctx, const Secrets& s, const harness::HttpResponse& response, const std::string& what) {
  const std::string text = everything(response);
  ctx.check(response.status >= 400 && response.status <= 499,
            what + ": expected a 4xx refusal, got " + std::to_string(response.status));
  for (const auto& payload : {s.box.created["payload"], s.current_payload}) {
    const std::string data = payload["data"];
    ctx.check(!contains(text, data) && !contains(text, data.substr(0, 24)),
              what + ": the response carries payload data");
  }
  ctx.check(!contains_ci(text, s.box.initiator), what + ": the response carries the initiator's claim");
  ctx.check(!contains_ci(text, s.recipient), what + ": the response carries the recipient's claim");
  ctx.check(!contains(text, s.initiator_token), what + ": the response carries a notification token");
  ctx.check(!contains(text, s.display_marker), what + ": the response carries display information");
}

// Positions of the random bits: UUIDv4's 122 [S]; a relay that uses UUIDv7 throughout has 74
// random bits (rand_a, rand_b), and its timestamp is not held against it here.
std::vector<int> random_bit_positions(const std::vector<codec::Uuid>& ids, CaseContext& ctx) {
  const bool all_v7 = std::all_of(ids.begin(), ids.end(), [](const codec::Uuid& u) { return u.version() == 7; });
  std::vector<int> positions;
  for (int bit = 0; bit < 128; ++bit) {
    const bool fixed = (bit >= 48 && bit < 52) || bit == 64 || bit == 65 || (all_v7 && bit < 48);
    if (!fixed) positions.push_back(bit);
  }
  if (all_v7) ctx.note("identifiers are UUIDv7: only their 74 random bits are measured");
  return positions;
}

int bit_of(const codec::Uuid& id, int bit) { return (id.bytes[bit / 8] >> (7 - bit % 8)) & 1; }

}  // namespace

TIGRESS_CASE(kRelay, "8.1/error-bodies-no-leak", "8.1", kConfidentiality, kMust,
             ({"MBX-DES-01", "MBX-BIND-02", "MBX-PRIV-02"}),
             "refusals to strangers carry no payload, no other party's claim, no token or display data") {
  auto s = bound_mailbox_with_secrets(ctx);
  const std::string x = ctx.uuid();
  const nlohmann::json stranger_update = {{"payload", ctx.payload()}};
  check_no_leak(ctx, s, ctx.read(s.box, x), "READ by a stranger");
  check_no_leak(ctx, s, ctx.read(s.box, x, nlohmann::json{{"notificationToken", checks::token("t")}}.dump()),
                "READ by a stranger with a token body");
  check_no_leak(ctx, s, ctx.read(s.box, std::nullopt), "READ without a claim");
  check_no_leak(ctx, s, ctx.read(s.box, std::string("not-a-uuid")), "READ with a malformed claim");
  check_no_leak(ctx, s, ctx.update(s.box, x, stranger_update), "UPDATE by a stranger");
  check_no_leak(
      ctx, s,
      ctx.send(checks::request(
          "PUT", s.box.path,
          {{"Mailbox-Device-Claim", x}, {"Mailbox-Request-ID", ctx.uuid()}, {"Content-Type", "application/json"}},
          "{")),
      "UPDATE by a stranger with a broken body");
  check_no_leak(ctx, s, ctx.remove(s.box, x), "DELETE by a stranger");
  check_no_leak(ctx, s, ctx.relinquish(s.box, x), "RELINQ by a stranger");
  ctx.check_status(ctx.read(s.box, s.recipient), {200}, "READ by the recipient afterwards");
}

TIGRESS_CASE(kRelay, "8.1/stranger-gets-nothing", "8.1", kConfidentiality, kMust,
             ({"MBX-BIND-02", "MBX-READ-05", "MBX-ACL-04"}),
             "a refused read is a bare error, never a Read body with an error status") {
  auto s = bound_mailbox_with_secrets(ctx);
  auto unreadable = ctx.create_mailbox(ctx.create_body("WD"));
  const std::pair<std::string, harness::HttpResponse> refusals[] = {
      {"READ by a stranger on a bound mailbox", ctx.read(s.box, ctx.uuid())},
      {"READ by the initiator without the R right", ctx.read(unreadable, unreadable.initiator)},
      {"READ by a new claim without the R right", ctx.read(unreadable, ctx.uuid())}};
  for (const auto& [what, response] : refusals) {
    ctx.check_status(response, checks::refused(ctx), what);
    auto json = nlohmann::json::parse(response.body, nullptr, false);
    for (const char* member : {"payload", "displayInformation", "expiration"}) {
      ctx.check(!json.is_object() || !json.contains(member), what + ": the error body has a \"" + member + "\" member");
    }
  }
  for (const auto& payload : {s.current_payload, unreadable.created["payload"]}) {
    for (const auto& [what, response] : refusals) {
      ctx.check(!contains(response.body, payload["data"].get<std::string>()), what + ": the body carries payload data");
    }
  }
}

TIGRESS_CASE(kRelay, "8.1/no-set-cookie", "8.1", kConfidentiality, kMust, ({"MBX-PRIV-03", "MBX-PRIV-04"}),
             "no response of any endpoint, preview and HTTP-level errors included, sets a cookie") {
  // A cookie is a tracking identifier: it would let the relay link a device's mailboxes. The
  // API flow is also covered by 4.2/no-credentials-or-cookies; this case adds the preview,
  // relinquish, delete and the relay's HTTP-level answers.
  std::vector<std::pair<std::string, harness::HttpResponse>> responses;
  const std::string initiator = ctx.uuid();
  const auto body = ctx.create_body("RWD");
  responses.emplace_back("CreateMailbox", ctx.create(initiator, body));
  if (responses.back().second.status != 200) ctx.setup_refused("CreateMailbox", responses.back().second);
  auto box = checks::mailbox_from(ctx, responses.back().second, initiator, body);
  const std::string r1 = ctx.uuid();
  responses.emplace_back("PREVIEW", ctx.preview(box));
  responses.emplace_back("PREVIEW ?v=c", ctx.preview(box, "v=c"));
  responses.emplace_back("READ(R1)", ctx.read(box, r1));
  responses.emplace_back("READ(I)", ctx.read(box, initiator));
  responses.emplace_back("UPDATE(R1)", ctx.update(box, r1, {{"payload", ctx.payload()}}));
  responses.emplace_back("READ(X) refused", ctx.read(box, ctx.uuid()));
  responses.emplace_back("RELINQ(R1)", ctx.relinquish(box, r1));
  responses.emplace_back("READ unknown", ctx.read(checks::unknown_like(ctx, box), r1));
  responses.emplace_back("DELETE(I)", ctx.remove(box, initiator));
  responses.emplace_back("PREVIEW after delete", ctx.preview(box));
  responses.emplace_back("HEAD", ctx.send(checks::request("HEAD", box.path)));
  responses.emplace_back("GET /v1/m", ctx.send(checks::request("GET", ctx.collection_path())));
  responses.emplace_back("GET of an unknown path", ctx.send(checks::request("GET", ctx.collection_path() + "x/y")));
  for (const auto& [what, response] : responses) {
    ctx.check(response.header_count("Set-Cookie") == 0 && response.header_count("Set-Cookie2") == 0,
              what + " sets a cookie: " + response.header("Set-Cookie").value_or("(Set-Cookie2)"));
  }
}

TIGRESS_CASE(kRelay, "8.1/tokens-never-echoed", "8.1", kConfidentiality, kAdvisory, ({"TM-20"}),
             "notification tokens given to the relay never appear in a response") {
  auto body = ctx.create_body("RWD");
  const std::string t_initiator = ctx.random_base64(36), t_recipient = ctx.random_base64(36),
                    t_update = ctx.random_base64(36);
  body["notificationToken"] = checks::token(t_initiator);
  const std::string initiator = ctx.uuid(), r1 = ctx.uuid();
  std::vector<std::pair<std::string, harness::HttpResponse>> responses;
  responses.emplace_back("CreateMailbox", ctx.create(initiator, body));
  if (responses.back().second.status != 200) ctx.setup_refused("CreateMailbox with a token", responses.back().second);
  auto box = checks::mailbox_from(ctx, responses.back().second, initiator, body);
  responses.emplace_back("READ(R1) with a token",
                         ctx.read(box, r1, nlohmann::json{{"notificationToken", checks::token(t_recipient)}}.dump()));
  if (responses.back().second.status != 200) responses.emplace_back("READ(R1)", ctx.read(box, r1));
  responses.emplace_back(
      "UPDATE(I) with a token",
      ctx.update(box, initiator, {{"payload", ctx.payload()}, {"notificationToken", checks::token(t_update)}}));
  responses.emplace_back("READ(I)", ctx.read(box, initiator));
  responses.emplace_back("READ(R1)", ctx.read(box, r1));
  responses.emplace_back("PREVIEW", ctx.preview(box));
  responses.emplace_back("RELINQ(R1)", ctx.relinquish(box, r1));
  for (const auto& [what, response] : responses) {
    const std::string text = everything(response);
    ctx.check(!contains(text, t_initiator) && !contains(text, t_recipient) && !contains(text, t_update),
              what + " echoes a notification token");
  }
}

TIGRESS_CASE(kRelay, "8.1/stranger-cannot-register-token", "8.1", kAntiReplay, kMust, ({"MBX-UPDATE-06", "TM-20"}),
             "an unbound claim can neither write nor register a notification token") {
  // The controls: the same UPDATE and READ, token included, by the bound recipient R1.
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  const std::string r1 = ctx.bind_recipient(box), x = ctx.uuid();
  const nlohmann::json forged = {{"payload", ctx.payload()},
                                 {"notificationToken", checks::token(ctx.random_base64(30))}};
  const std::string token_body = nlohmann::json{{"notificationToken", forged["notificationToken"]}}.dump();
  ctx.control(
      ctx.update_request(box, r1, {{"payload", ctx.payload()}, {"notificationToken", forged["notificationToken"]}}),
      "UPDATE with a token by the bound recipient R1");
  ctx.control(ctx.read_request(box, r1, token_body), "READ with a token by the bound recipient R1");
  auto update = ctx.update(box, x, forged);
  if (ctx.check_status(update, checks::refused(ctx), "UPDATE with a token by a stranger")) {
    ctx.reading("UPDATE with a token by a stranger answered " + std::to_string(update.status) + " (AMB-25)");
  }
  auto read_with_token = ctx.read(box, x, token_body);
  if (ctx.check_status(read_with_token, {401, 403, 400, 415}, "READ with a token by a stranger")) {
    ctx.reading("READ with a token by a stranger answered " + std::to_string(read_with_token.status));
  }
  auto read = ctx.read(box, r1);
  if (ctx.check_status(read, {200}, "READ(R1)")) {
    auto json = ctx.json_body(read, "READ(R1)");
    ctx.check(!json.is_object() || !json.contains("payload") || !checks::same_json(json["payload"], forged["payload"]),
              "the stranger's payload was stored");
  }
}

TIGRESS_CASE(kRelay, "8.1/claim-reuse-across-mailboxes", "8.1", kConfidentiality, kMust,
             ({"MBX-PRIV-04", "MBX-DES-09"}), "one claim used on two mailboxes works on both, independently") {
  // AMB-38: claims should be fresh per mailbox, but a relay must not refuse a reused one (it
  // would need to track devices across mailboxes to do so).
  const std::string initiator = ctx.uuid(), recipient = ctx.uuid();
  MailboxRef boxes[2];
  for (auto& box : boxes) {
    const auto body = ctx.create_body("RWD");
    auto created = ctx.create(initiator, body);
    if (!ctx.check_status(created, {200}, "CreateMailbox with a reused initiator claim")) return;
    box = checks::mailbox_from(ctx, created, initiator, body);
  }
  ctx.check(boxes[0].id != boxes[1].id, "two creates gave the same mailbox");
  for (const auto& box : boxes) {
    ctx.check_status(ctx.read(box, recipient), {200}, "READ by the reused recipient claim");
    ctx.check_status(ctx.read(box, initiator), {200}, "READ by the reused initiator claim");
  }
  ctx.check_status(ctx.relinquish(boxes[0], recipient), {200}, "RELINQ on the first mailbox only");
  ctx.check_status(ctx.read(boxes[1], ctx.uuid()), checks::refused(ctx), "READ(R2) on the second: still bound");
}

TIGRESS_CASE(kRelay, "8.1.2/ids-unpredictable", "8.1.2", kAntiReplay, kMust, ({"MBX-ID-03", "MBX-ID-04", "TM-04"}),
             "mailbox identifiers look random: distinct, unbiased bits, no order") {
  // Guessable identifiers let an attacker read first and bind in the recipient's place. Bounds
  // are five standard deviations so that a good relay fails about once in 10^5 runs.
  const int wanted = std::max(64, ctx.options().identifier_sample);
  std::vector<codec::Uuid> ids;
  std::set<std::string> seen;
  for (int i = 0; i < wanted; ++i) {
    auto created = ctx.create(ctx.uuid(), ctx.create_body("RD", 600));
    if (created.status != 200) ctx.setup_refused("CreateMailbox #" + std::to_string(i + 1), created);
    auto box = checks::mailbox_from(ctx, created, "", nlohmann::json());
    seen.insert(checks::lower(box.id));
    auto id = codec::parse_uuid(box.id);
    if (ctx.check(id.ok(), "identifier \"" + box.id + "\" is not a UUID")) ids.push_back(*id);
  }
  ctx.check(static_cast<int>(seen.size()) == wanted,
            std::to_string(wanted - static_cast<int>(seen.size())) + " repeated identifiers");
  if (ids.size() < 64) return;
  const auto positions = random_bit_positions(ids, ctx);
  const double n = static_cast<double>(ids.size()), k = static_cast<double>(positions.size());
  int biased = 0, worst_bit = 0;
  double worst = 0, total = 0;
  for (int bit : positions) {
    double ones = 0;
    for (const auto& id : ids) ones += bit_of(id, bit);
    total += ones;
    const double deviation = std::abs(ones - n / 2) / (std::sqrt(n) / 2);
    if (deviation > 5) ++biased;
    if (deviation > worst) worst = deviation, worst_bit = bit;
  }
  ctx.check(biased == 0, std::to_string(biased) + " of " + std::to_string(positions.size()) +
                             " random bits are biased beyond 5 sigma (worst: bit " + std::to_string(worst_bit) + ")");
  const double overall = std::abs(total - n * k / 2) / (std::sqrt(n * k) / 2);
  ctx.check(overall <= 5, "overall bit balance is " + std::to_string(overall) + " sigma off 0.5");
  double distance = 0;
  int ascents = 0;
  for (std::size_t i = 1; i < ids.size(); ++i) {
    for (int bit : positions) distance += bit_of(ids[i], bit) != bit_of(ids[i - 1], bit);
    ascents += ids[i - 1].bytes < ids[i].bytes;
  }
  distance /= n - 1;
  ctx.note("mean Hamming distance of consecutive identifiers: " + std::to_string(distance) + " of " +
           std::to_string(positions.size()) + " bits; ascending steps " + std::to_string(ascents) + "/" +
           std::to_string(ids.size() - 1));
  ctx.check(std::abs(distance - k / 2) <= k * 16 / 122,
            "consecutive identifiers differ in " + std::to_string(distance) +
                " random bits on average, expected about " + std::to_string(k / 2));
  const double ascent_sigma = std::sqrt((n + 1) / 12);
  ctx.check(std::abs(ascents - (n - 1) / 2) <= 5 * ascent_sigma, "identifiers are ordered: " + std::to_string(ascents) +
                                                                     " of " + std::to_string(ids.size() - 1) +
                                                                     " steps ascend");
}

TIGRESS_CASE(kRelay, "8.1.2/ids-uuid-v4", "8.1.2", kAntiReplay, kShould, ({"MBX-ID-02"}),
             "mailbox identifiers are version-4 UUIDs of the RFC variant") {
  // AMB-51: the draft's own example identifier is version 1; 8.1.2 asks for version 4.
  for (int i = 0; i < 8; ++i) {
    auto box = ctx.create_mailbox(ctx.create_body("RD", 600));
    auto id = codec::parse_uuid(box.id);
    if (!ctx.check(id.ok(), "identifier \"" + box.id + "\" is not a UUID")) continue;
    ctx.check(id->version() == 4, "identifier " + box.id + " is version " + std::to_string(id->version()) + ", not 4");
    ctx.check(id->is_rfc_variant(), "identifier " + box.id + " is not of the RFC 9562 variant (bits 10)");
  }
}

TIGRESS_CASE(kRelay, "8.1.2/ids-unique", "8.1.2", kAntiReplay, kMust, ({"MBX-ID-04", "MBX-ID-01"}),
             "identical creates by one claim get distinct, canonical identifiers") {
  // The relay, not the client, makes identifiers (4.1): even byte-identical requests (apart
  // from the Request-ID) get different ones, each in canonical 8-4-4-4-12 form.
  const std::string initiator = ctx.uuid();
  const auto body = ctx.create_body("RD", 600);
  std::set<std::string> ids;
  for (int i = 0; i < 16; ++i) {
    auto created = ctx.create(initiator, body);
    if (!ctx.check_status(created, {200}, "CreateMailbox #" + std::to_string(i + 1))) continue;
    auto box = checks::mailbox_from(ctx, created, initiator, body);
    ctx.check(codec::parse_uuid(box.id).ok(), "identifier \"" + box.id + "\" is not a canonical UUID");
    ctx.check(ids.insert(checks::lower(box.id)).second, "identifier " + box.id + " was handed out twice");
  }
}

}  // namespace tigress::conformance
