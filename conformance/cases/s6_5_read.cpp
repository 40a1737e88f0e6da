// Draft section 6.5, ReadSecureContentFromMailbox: POST /v1/m/{id} returns the stored payload,
// display information and expiration to a bound claim, and binds the first claim other than the
// initiator's as the one recipient (4.1, 8.1.1). Digest rows MBX-READ-01..11, MBX-BIND-*, the
// R right of MBX-ACL-04; ambiguities AMB-06, AMB-07, AMB-10, AMB-14, AMB-18, AMB-19.
#include <algorithm>
#include <latch>
#include <regex>
#include <thread>

#include "conformance/cases/exchange_checks.hpp"
#include "conformance/cases/relay_checks.hpp"
#include "conformance/framework/case_context.hpp"

namespace tigress::conformance {
namespace {

// The Read body as JSON, or a discarded value (the violation is recorded by json_body).
nlohmann::json read_json(CaseContext& ctx, const harness::HttpResponse& response, const std::string& what) {
  if (!ctx.check_status(response, {200}, what)) return nlohmann::json(nlohmann::json::value_t::discarded);
  return ctx.json_body(response, what);
}

// payload equals `expected`: the object [S], or a string holding it [L] (AMB-18).
void check_payload(CaseContext& ctx, const nlohmann::json& body, const nlohmann::json& expected,
                   const std::string& what) {
  if (!body.is_object()) return;
  bool as_string = false;
  ctx.check(body.contains("payload") && checks::same_json(body["payload"], expected, &as_string),
            what + ": payload is not the stored one");
  if (as_string) ctx.note(what + ": payload returned as a JSON string (AMB-18 lenient)");
}

}  // namespace

TIGRESS_CASE(kRelay, "6.5/read-200-json", "6.5", kMessageFormat, kMust, ({"MBX-READ-01", "MBX-GEN-04"}),
             "a bound claim reads with 200 application/json") {
  auto box = ctx.create_mailbox();
  auto read = ctx.read(box, box.initiator);
  ctx.check_status(read, {200}, "READ by the initiator");
  ctx.check(checks::media_type(read) == "application/json",
            "READ Content-Type is \"" + read.header("Content-Type").value_or("") + "\"");
  ctx.json_body(read, "READ");
}

TIGRESS_CASE(kRelay, "6.5/body-members", "6.5", kMessageFormat, kMust, ({"MBX-READ-02"}),
             "the Read body has the stored payload, the created displayInformation and an expiration") {
  auto box = ctx.create_mailbox();
  auto body = read_json(ctx, ctx.read(box, box.initiator), "READ by the initiator");
  if (!ctx.check(body.is_object(), "READ body is not a JSON object")) return;
  check_payload(ctx, body, box.created["payload"], "READ");
  bool as_string = false;
  ctx.check(body.contains("displayInformation") &&
                checks::same_json(body["displayInformation"], box.created["displayInformation"], &as_string),
            "READ: displayInformation differs from the created one");
  if (as_string) ctx.note("displayInformation returned as a JSON string (AMB-19 lenient)");
  ctx.check(body.contains("expiration") && body["expiration"].is_string(), "READ: no string member expiration");
}

TIGRESS_CASE(kRelay, "6.5/expiration-format", "6.5", kMessageFormat, kMust, ({"MBX-READ-02", "MBX-EXP-03"}),
             "expiration is YYYY-MM-DDThh:mm:ssZ and a real UTC date") {
  static const std::regex kShape(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$)");
  auto box = ctx.create_mailbox();
  const std::string r1 = ctx.uuid();
  for (const auto& [who, claim] :
       {std::pair<std::string, std::string>{"initiator", box.initiator}, {"recipient", r1}}) {
    auto body = read_json(ctx, ctx.read(box, claim), "READ by the " + who);
    if (!body.is_object() || !ctx.check(body.contains("expiration") && body["expiration"].is_string(),
                                        "READ by the " + who + ": no string expiration")) {
      continue;
    }
    const std::string value = body["expiration"];
    if (ctx.check(std::regex_match(value, kShape), "expiration \"" + value + "\" is not YYYY-MM-DDThh:mm:ssZ")) {
      ctx.check(codec::parse_timestamp_strict(value).ok(), "expiration \"" + value + "\" is not a real date-time");
    }
  }
}

TIGRESS_CASE(kRelay, "6.5/expiration-as-requested", "6.5", kExpiry, kMust, ({"MBX-READ-03"}),
             "expiration is the value requested at creation, or earlier when the relay caps it") {
  auto box = ctx.create_mailbox("RWD", 3600);
  const auto requested =
      codec::parse_timestamp_strict(box.created["mailboxConfiguration"]["expiration"].get<std::string>());
  auto body = read_json(ctx, ctx.read(box, box.initiator), "READ");
  auto reported = checks::read_expiration(body);
  if (!ctx.check(reported.has_value(), "READ has no strict expiration to compare") || !requested) return;
  ctx.check(*reported <= *requested, "READ reports " + body["expiration"].get<std::string>() +
                                         ", later than the requested " + codec::format_timestamp(*requested));
  ctx.check(*reported > ctx.now() - 5, "READ reports an expiration in the past");
  if (*reported < *requested) ctx.note("relay shortened the lifetime (AMB-14 lenient)");
}

TIGRESS_CASE(kRelay, "6.5/first-reader-binds", "6.5", kAntiReplay, kMust, ({"MBX-READ-04", "MBX-BIND-01"}),
             "the first new claim that reads gets the content and stays able to read") {
  auto box = ctx.create_mailbox();
  const std::string r1 = ctx.uuid();
  auto first = read_json(ctx, ctx.read(box, r1), "first READ(R1)");
  check_payload(ctx, first, box.created["payload"], "first READ(R1)");
  ctx.check_status(ctx.read(box, r1), {200}, "second READ(R1)");
  ctx.check_status(ctx.read(box, box.initiator), {200}, "READ(I) after R1 bound");
}

TIGRESS_CASE(kRelay, "6.5/second-reader-refused", "6.5", kAntiReplay, kMust, ({"MBX-READ-05", "MBX-BIND-01", "TM-06"}),
             "once R1 is bound, other new claims are refused and R1 still reads") {
  auto box = ctx.create_mailbox();
  const std::string r1 = ctx.bind_recipient(box);
  ctx.check_status(ctx.read(box, ctx.uuid()), checks::refused(ctx), "READ(R2) on a bound mailbox");
  ctx.check_status(ctx.read(box, r1), {200}, "READ(R1) after R2 was refused");
  ctx.check_status(ctx.read(box, ctx.uuid()), checks::refused(ctx), "READ(R3) on a bound mailbox");
}

TIGRESS_CASE(kRelay, "6.5/concurrent-first-readers", "6.5", kAntiReplay, kMust,
             ({"MBX-READ-06", "MBX-BIND-01", "TM-06"}),
             "parallel first reads with distinct claims: exactly one gets 200") {
  // Binding must be atomic (8.1.1): N claims race for a fresh mailbox; a check-then-act relay
  // lets several win. Three rounds, each on a fresh mailbox, give a racy relay many chances.
  // CaseContext is not thread-safe: the requests are built here and each thread sends its own
  // over a WireClient of its own (send_from_thread: the answers are scanned for another party's
  // claim like every other); the outcome is summarised with note(). With several instances of one
  // deployment the readers take them in turn: the race is then between instances.
  const int readers = std::max(2, ctx.options().concurrent_readers);
  const std::vector<harness::TargetInstance> instances = ctx.options().instances();
  for (int round = 1; round <= 3; ++round) {
    auto box = ctx.create_mailbox();
    std::vector<std::string> claims;
    std::vector<harness::HttpRequest> requests;
    for (int i = 0; i < readers; ++i) {
      claims.push_back(ctx.uuid());
      requests.push_back(checks::request(
          "POST", box.path, {{"Mailbox-Device-Claim", claims.back()}, {"Mailbox-Request-ID", ctx.uuid()}}));
    }
    std::vector<int> statuses(readers, 0);
    std::vector<std::string> errors(readers);
    std::latch start(readers);
    std::vector<std::thread> threads;
    const RunOptions& options = ctx.options();
    for (int i = 0; i < readers; ++i) {
      threads.emplace_back([&, i] {
        const harness::TargetInstance& instance = instances[i % instances.size()];
        harness::WireClient client(instance.target, instance.tls, options.limits, options.connection);
        start.arrive_and_wait();
        auto response = ctx.send_from_thread(client, requests[i]);
        if (response) {
          statuses[i] = response->status;
        } else {
          errors[i] = response.error().message();
        }
      });
    }
    for (auto& thread : threads) thread.join();
    int ok = 0, refused = 0, other = 0, lost = 0, winner = -1, loser = -1;
    std::string others, first_error;
    for (int i = 0; i < readers; ++i) {
      if (!errors[i].empty()) {
        ++lost;
        if (first_error.empty()) first_error = " (" + errors[i] + ")";
      } else if (statuses[i] == 200) {
        ++ok, winner = i;
      } else if (statuses[i] == 401 || statuses[i] == 403) {
        ++refused, loser = i;
      } else {
        ++other, others += " " + std::to_string(statuses[i]);
      }
    }
    const std::string tag = "round " + std::to_string(round) + ": ";
    ctx.note(tag + std::to_string(readers) + " parallel READs" +
             (instances.size() > 1 ? " over " + std::to_string(instances.size()) + " instances" : std::string()) +
             ": " + std::to_string(ok) + "x 200, " + std::to_string(refused) + "x 401/403, " + std::to_string(other) +
             " other," + others + " " + std::to_string(lost) + " without answer" + first_error);
    if (lost == readers) ctx.abort_error(tag + "no parallel READ got an answer");
    ctx.check(ok <= 1, tag + std::to_string(ok) + " of " + std::to_string(readers) +
                           " distinct claims were served: binding is not atomic");
    ctx.check(ok == 1 || lost > 0, tag + "no reader got 200");
    ctx.check(other == 0, tag + "unexpected statuses:" + others);
    if (ok == 1) ctx.check_status(ctx.read(box, claims[winner]), {200}, tag + "READ by the winner afterwards");
    if (loser >= 0)
      ctx.check_status(ctx.read(box, claims[loser]), checks::refused(ctx), tag + "READ by a loser afterwards");
  }
}

TIGRESS_CASE(kRelay, "6.5/unknown-mailbox", "6.5", kMessageFormat, kMust, ({"MBX-READ-07"}),
             "reading an unknown mailbox is 404") {
  auto box = ctx.create_mailbox();
  ctx.check_status(ctx.read(checks::unknown_like(ctx, box), ctx.uuid()), {404}, "READ of a random UUID");
}

TIGRESS_CASE(kRelay, "6.5/read-without-claim", "6.5", kAntiReplay, kMust, ({"MBX-READ-08", "MBX-CLM-01"}),
             "a read without Mailbox-Device-Claim fails and binds nothing") {
  // AMB-01: 401 [S]; 400 or 403 [L]; never 2xx, never a binding. The control: the first READ of
  // another fresh mailbox with a claim.
  const MailboxRef spare = ctx.create_mailbox();
  ctx.control(ctx.read_request(spare, ctx.uuid()), "the first READ of another mailbox with a claim");
  auto box = ctx.create_mailbox();
  auto read = ctx.read(box, std::nullopt);
  if (ctx.check_status(read, ctx.accepted_statuses("AMB-01"), "READ without a claim")) {
    ctx.reading("READ without a claim answered " + std::to_string(read.status) + " (AMB-01)");
  }
  const std::string r1 = ctx.uuid();
  ctx.check_status(ctx.read(box, r1), {200}, "READ(R1) afterwards: the slot must still be free");
  ctx.check_status(ctx.read(box, ctx.uuid()), checks::refused(ctx), "READ(R2): R1 is bound");
}

TIGRESS_CASE(kRelay, "6.5/reads-return-current-payload", "6.5", kMessageFormat, kMust, ({"MBX-READ-09"}),
             "both parties read whatever was written last, their own writes included") {
  // AMB-08: one payload slot, no author marker; the initiator still reads after binding.
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  const std::string r1 = ctx.bind_recipient(box);
  const nlohmann::json p1 = {{"payload", ctx.payload(96)}}, p2 = {{"payload", ctx.payload(56)}};
  if (!ctx.check_status(ctx.update(box, r1, p1), {200}, "UPDATE by R1")) return;
  check_payload(ctx, read_json(ctx, ctx.read(box, box.initiator), "READ(I)"), p1["payload"], "READ(I) of R1's write");
  check_payload(ctx, read_json(ctx, ctx.read(box, r1), "READ(R1)"), p1["payload"], "READ(R1) of its own write");
  if (!ctx.check_status(ctx.update(box, box.initiator, p2), {200}, "UPDATE by I")) return;
  check_payload(ctx, read_json(ctx, ctx.read(box, box.initiator), "READ(I)"), p2["payload"],
                "READ(I) of its own write");
  check_payload(ctx, read_json(ctx, ctx.read(box, r1), "READ(R1)"), p2["payload"], "READ(R1) of I's write");
}

TIGRESS_CASE(kRelay, "6.5/initiator-read-keeps-slot-free", "6.5", kAntiReplay, kMust, ({"MBX-BIND-03", "MBX-READ-04"}),
             "initiator reads never take the recipient slot") {
  auto box = ctx.create_mailbox();
  ctx.check_status(ctx.read(box, box.initiator), {200}, "first READ(I)");
  ctx.check_status(ctx.read(box, box.initiator), {200}, "second READ(I)");
  ctx.check_status(ctx.read(box, ctx.uuid()), {200}, "READ(R1) after two initiator reads");
  ctx.check_status(ctx.read(box, ctx.uuid()), checks::refused(ctx), "READ(R2): R1 is bound");
  ctx.check_status(ctx.read(box, box.initiator), {200}, "READ(I) once R1 is bound");
}

TIGRESS_CASE(kRelay, "6.5/empty-body", "6.5", kMessageFormat, kMust, ({"MBX-READ-10", "MBX-READ-01"}),
             "a read with an empty body and no Content-Type works") {
  // 6.5 defines no request body: the empty one is the only body every relay must take (AMB-07).
  auto box = ctx.create_mailbox();
  auto read = ctx.send(
      checks::request("POST", box.path, {{"Mailbox-Device-Claim", ctx.uuid()}, {"Mailbox-Request-ID", ctx.uuid()}}));
  check_payload(ctx, read_json(ctx, read, "READ with an empty body"), box.created["payload"], "READ");
}

TIGRESS_CASE(kRelay, "6.5/vertical-query", "6.5", kMessageFormat, kMust, ({"MBX-READ-10"}),
             "a read at the mailbox URL with ?v=h works") {
  auto box = ctx.create_mailbox();
  const std::string r1 = ctx.uuid();
  auto read = ctx.send(
      checks::request("POST", box.path + "?v=h", {{"Mailbox-Device-Claim", r1}, {"Mailbox-Request-ID", ctx.uuid()}}));
  check_payload(ctx, read_json(ctx, read, "READ ?v=h"), box.created["payload"], "READ ?v=h");
  ctx.check_status(ctx.read(box, r1), {200}, "READ(R1) without the query");
}

TIGRESS_CASE(kRelay, "6.5/notification-token-body", "6.5", kMessageFormat, kMust, ({"MBX-READ-10", "TM-20"}),
             "a read body carrying a notificationToken is taken or cleanly refused") {
  // AMB-07: a JSON body with an optional token [S] 200; 400/415 [L]. Either way no token comes
  // back in a response (TM-20), and a refused read binds nobody.
  auto box = ctx.create_mailbox();
  ctx.control(ctx.read_request(box, box.initiator), "READ(I) without a body");
  const std::string r1 = ctx.uuid(), data = ctx.random_base64(40);
  auto read = ctx.read(box, r1, nlohmann::json{{"notificationToken", checks::token(data)}}.dump());
  const bool accepted = ctx.check_status(read, ctx.accepted_statuses("AMB-07"), "READ with a notificationToken body");
  ctx.check(!checks::contains(read.body, data), "READ response echoes the notification token");
  if (read.status != 200) {
    if (accepted) ctx.reading("READ with a token body answered " + std::to_string(read.status) + " (AMB-07 lenient)");
    ctx.check_status(ctx.read(box, r1), {200}, "READ(R1) with an empty body after the refused one");
  } else {
    check_payload(ctx, ctx.json_body(read, "READ"), box.created["payload"], "READ with token");
    ctx.check_status(ctx.read(box, ctx.uuid()), checks::refused(ctx), "READ(R2): R1 bound by the token read");
  }
  auto empty_object = ctx.read(box, r1, "{}");
  ctx.check_status(empty_object, ctx.accepted_statuses("AMB-07"), "READ(R1) with body {}");
}

TIGRESS_CASE(kRelay, "6.5/repeated-request-id", "6.5", kAntiReplay, kMust, ({"MBX-READ-11"}),
             "a read repeated with the same Mailbox-Request-ID still returns the content") {
  // AMB-06: reads are never duplicates [S] 200 twice; [L] a 201 that carries the full body.
  auto box = ctx.create_mailbox();
  const std::string r1 = ctx.uuid(), id = ctx.uuid();
  for (int attempt = 1; attempt <= 2; ++attempt) {
    auto read = ctx.read(box, r1, "", id);
    const std::string what = "READ(R1) #" + std::to_string(attempt) + " with one Request-ID";
    const bool accepted = attempt == 1 ? ctx.check_status(read, {200}, what) : ctx.check_status(read, {200, 201}, what);
    if (!accepted) continue;
    if (read.status == 201) ctx.note("repeated READ answered 201 (AMB-06 lenient)");
    check_payload(ctx, ctx.json_body(read, what), box.created["payload"], what);
  }
}

TIGRESS_CASE(kRelay, "6.5/without-read-right", "6.5", kAntiReplay, kMust, ({"MBX-ACL-04"}),
             "without R nobody reads; a refused read binds at most one recipient") {
  // AMB-10: 401 [S], 403 or 405 [L]. Whether a Read refused for the missing R still binds its
  // claim the draft does not say: not binding is the strict reading, binding the first such
  // claim (which with W may then write) the lenient one. Either way the binding stays
  // exclusive: a second new claim is not bound too.
  const MailboxRef readable = ctx.create_mailbox(ctx.create_body("RWD"));
  ctx.control(ctx.read_request(readable, readable.initiator), "READ(I) where R is granted");
  auto box = ctx.create_mailbox(ctx.create_body("WD"));
  const std::string r1 = ctx.uuid(), r2 = ctx.uuid();
  ctx.check_status(ctx.read(box, box.initiator), exchange::right_missing(ctx), "READ(I) on a \"WD\" mailbox");
  ctx.check_status(ctx.read(box, r1), exchange::right_missing(ctx), "READ(R1) on a \"WD\" mailbox");
  auto r1_update = ctx.update(box, r1, {{"payload", ctx.payload()}});
  const bool bound = r1_update.status == 200;
  if (!bound) {
    if (ctx.check_status(r1_update, checks::refused(ctx), "UPDATE(R1) after its refused read")) {
      ctx.reading("a READ refused for the missing R bound nobody (AMB-10 strict)");
    }
  } else {
    ctx.reading("a READ refused for the missing R bound R1, which then updated (AMB-10: refused read binds)");
  }
  ctx.check_status(ctx.read(box, r2), exchange::right_missing(ctx), "READ(R2) on a \"WD\" mailbox");
  ctx.check_status(ctx.update(box, r2, {{"payload", ctx.payload()}}), checks::refused(ctx),
                   bound ? "UPDATE(R2) while R1 is bound" : "UPDATE(R2) after its refused read");
  ctx.check_status(ctx.update(box, box.initiator, {{"payload", ctx.payload()}}), {200}, "UPDATE(I) (W granted)");
}

}  // namespace tigress::conformance
