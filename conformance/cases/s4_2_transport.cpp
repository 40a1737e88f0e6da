// Draft section 4.2 (API connection details) with 8.1.1 (TLS only) and the relay design
// requirements of 3.3: HTTPS only, the /v1/ version segment, JSON bodies, UTF-8 strings, header
// names as HTTP field names, and the store-and-forward service the relay exists for. Digest rows
// MBX-GEN-01..10, MBX-DES-02..09, MBX-ENC-05, MBX-PRIV-03; ambiguities AMB-20, AMB-29, AMB-30,
// AMB-37, AMB-47.
#include <chrono>
#include <thread>

#include <openssl/ssl.h>

#include "conformance/cases/exchange_checks.hpp"
#include "conformance/cases/relay_checks.hpp"
#include "conformance/framework/case_context.hpp"

namespace tigress::conformance {
namespace {

using exchange::reads_payload;

harness::HeaderList create_headers(const std::string& claim, const std::string& request_id) {
  return {{"Mailbox-Device-Claim", claim}, {"Mailbox-Request-ID", request_id}, {"Content-Type", "application/json"}};
}

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

TIGRESS_CASE(kRelay, "4.2/cleartext-refused", "4.2", kConfidentiality, kMust, ({"MBX-GEN-03", "MBX-DES-01"}),
             "a cleartext HTTP request to the TLS port is neither answered with 2xx nor processed") {
  // MBX-GEN-03 / AMB-30: [S] no HTTP answer at all; [L] a 301/308 redirect to https that
  // processes nothing, reported as a warning because the request already crossed the network in
  // cleartext. A plain HTTP error (nginx's "plain HTTP request sent to HTTPS port" 400) also
  // processes nothing and is only noted. The control: the same CreateMailbox over TLS, from
  // another claim (the case's own claim and Request-ID must stay unused until the cleartext try).
  ctx.control_create();
  const std::string initiator = ctx.uuid(), request_id = ctx.uuid();
  const auto body = ctx.create_body();
  const auto request =
      checks::request("POST", ctx.collection_path(), create_headers(initiator, request_id), body.dump());
  auto answer = ctx.try_send_cleartext(
      [&request](const harness::Target& instance) { return harness::serialize_request(request, instance); });
  if (!answer) {
    ctx.note("no HTTP answer in cleartext (strict reading): " + answer.error().message());
  } else {
    const int status = answer->status;
    ctx.check(!checks::is_success(status), "cleartext CreateMailbox answered " + std::to_string(status));
    ctx.check(!checks::contains(answer->body, "urlLink"), "the cleartext answer carries a urlLink");
    if (is_redirect(status)) {
      const std::string location = answer->header("Location").value_or("");
      ctx.check(checks::lower(location).starts_with("https://"),
                "cleartext redirect to \"" + location + "\", which is not an https URL");
      ctx.warn("cleartext request answered with a " + std::to_string(status) +
               " redirect (AMB-30 lenient): the request already travelled unencrypted");
    } else if (!checks::is_success(status)) {
      ctx.note("cleartext request answered with HTTP " + std::to_string(status) + " (nothing processed)");
    }
  }
  // Was it processed? The same claim and Request-ID over TLS is a duplicate (201) exactly when
  // the relay recorded the cleartext request (5.1).
  auto over_tls = ctx.create(initiator, body, request_id);
  ctx.check(over_tls.status != 201,
            "the cleartext CreateMailbox was processed: the same request over TLS is a duplicate (201)");
  ctx.check_status(over_tls, {200}, "the same CreateMailbox over TLS");
}

TIGRESS_CASE(kRelay, "4.2/tls-below-1.2-refused", "4.2", kConfidentiality, kMust,
             ({"MBX-GEN-03", "MBX-DES-01", "TM-22"}),
             "TLS 1.0 and TLS 1.1 handshakes are refused; TLS 1.2 or later completes") {
  // 8.1.1 asks for TLS; TLS 1.0/1.1 are deprecated (RFC 8996), so "TLS" means 1.2 or later.
  // The modern handshake first: if even that fails, the probe is broken and proves nothing.
  auto modern = ctx.try_handshake(TLS1_2_VERSION, TLS1_3_VERSION);
  if (!modern) ctx.abort_error("no TLS 1.2/1.3 handshake completes: " + modern.error().message());
  // A relay offering only TLS 1.3 is conforming (nothing requires 1.2); it is noted.
  if (!ctx.try_handshake(TLS1_2_VERSION, TLS1_2_VERSION)) ctx.note("TLS 1.2 is refused: the relay speaks TLS 1.3 only");
  for (const auto& [version, name] : {std::pair{TLS1_VERSION, "TLS 1.0"}, std::pair{TLS1_1_VERSION, "TLS 1.1"}}) {
    auto old = ctx.try_handshake(version, version);
    if (!old && checks::contains_ci(old.error().message(), "no protocols available")) {
      // The suite's own TLS library refused to offer the version: no conclusion either way.
      ctx.abort_error("this suite's TLS library cannot offer " + std::string(name) + ": " + old.error().message());
    }
    ctx.check(!old, std::string("a ") + name + " handshake completed");
  }
  ctx.check(!ctx.try_handshake(TLS1_VERSION, TLS1_1_VERSION), "a handshake offering TLS 1.0-1.1 completed");
}

TIGRESS_CASE(kRelay, "4.2/url-link-https", "4.2", kConfidentiality, kMust, ({"MBX-GEN-01", "MBX-URL-07"}),
             "urlLink is an https URL without a fragment") {
  auto box = ctx.create_mailbox();
  ctx.check(checks::lower(box.url_link).starts_with("https://"),
            "urlLink \"" + box.url_link + "\" is not an https URL");
  if (!box.url_link.starts_with("https://") && checks::lower(box.url_link).starts_with("https://")) {
    ctx.note("urlLink spells the scheme in upper case (legal, RFC 3986 3.1)");
  }
  // AMB-21: a fragment is never acceptable (it is where clients put the secret).
  ctx.check(box.url_link.find('#') == std::string::npos, "urlLink carries a fragment");
}

TIGRESS_CASE(kRelay, "4.2/api-under-v1", "4.2", kMessageFormat, kShould, ({"MBX-GEN-06"}),
             "the API lives under /v1/ and urlLink keeps the version segment") {
  // MBX-GEN-06 [S]: urlLink is {base}/v1/m/{id}; AMB-20 [L] (the 6.1.6 example drops /v1/) is
  // a SHOULD-level finding.
  auto box = ctx.create_mailbox();
  ctx.check(box.path.ends_with("/v1/m/" + box.id),
            "urlLink path \"" + box.path + "\" is not .../v1/m/{id} (AMB-20 lenient form)");
  ctx.check_status(ctx.read(box, box.initiator), {200}, "READ at the urlLink path");
}

TIGRESS_CASE(kRelay, "4.2/unknown-api-version", "4.2", kMessageFormat, kShould, ({"MBX-GEN-07", "MBX-GEN-06"}),
             "requests to /v2/ are refused with 404 (or 400) and never reach a v1 mailbox") {
  // AMB-29: an unknown API version is 404 [S], 400 [L]; a v1 relay has nothing under /v2/. The
  // controls: the same three requests under /v1/.
  ctx.control_create();
  auto box = ctx.create_mailbox();
  ctx.control(ctx.read_request(box, box.initiator), "READ(I) of the mailbox at /v1/m/{id}");
  ctx.control(checks::request("GET", box.path), "PREVIEW of the mailbox at /v1/m/{id}");
  const std::string v2 = ctx.options().target.base_path + "/v2/m";
  const auto record = [&](const harness::HttpResponse& response, const std::string& what) {
    if (ctx.check_status(response, ctx.accepted_statuses("AMB-29"), what)) {
      ctx.reading(what + " answered " + std::to_string(response.status) +
                  (response.status == 404 ? " (AMB-29 strict)" : " (AMB-29 lenient)"));
    }
  };
  auto created =
      ctx.send(checks::request("POST", v2, create_headers(ctx.uuid(), ctx.uuid()), ctx.create_body().dump()));
  record(created, "CreateMailbox at /v2/m");
  ctx.check(!checks::contains(created.body, "urlLink"), "CreateMailbox at /v2/m returned a urlLink");
  auto read = ctx.send(checks::request("POST", v2 + "/" + box.id,
                                       {{"Mailbox-Device-Claim", box.initiator}, {"Mailbox-Request-ID", ctx.uuid()}}));
  record(read, "READ of a v1 mailbox at /v2/m/{id}");
  ctx.check(!checks::contains(read.body, box.created["payload"]["data"].get<std::string>()),
            "/v2/m/{id} served the v1 mailbox's payload");
  record(ctx.send(checks::request("GET", v2 + "/" + box.id)), "PREVIEW of a v1 mailbox at /v2/m/{id}");
}

TIGRESS_CASE(kRelay, "4.2/lower-case-header-names", "4.2", kMessageFormat, kMust,
             ({"MBX-GEN-10", "MBX-RID-03", "MBX-RID-07"}), "the whole exchange works with lower-case header names") {
  // Header names are case-insensitive (RFC 9110 5.1) and lower case is the only form HTTP/2
  // and HTTP/3 know, so a relay behind an h2 front end sees nothing else.
  const std::string initiator = ctx.uuid(), request_id = ctx.uuid(), r1 = ctx.uuid();
  const auto body = ctx.create_body("RWD");
  const harness::HeaderList headers = {
      {"mailbox-device-claim", initiator}, {"mailbox-request-id", request_id}, {"content-type", "application/json"}};
  auto created = exchange::create_raw(ctx, headers, body.dump());
  if (!ctx.check_status(created, {200}, "CreateMailbox with lower-case header names")) return;
  exchange::check_echo(ctx, created, request_id, true, "CreateMailbox");
  auto box = checks::mailbox_from(ctx, created, initiator, body);
  ctx.check_status(exchange::create_raw(ctx, headers, body.dump()), {201},
                   "the same CreateMailbox repeated (duplicate)");

  const std::string read_id = ctx.uuid();
  auto read =
      ctx.send(checks::request("POST", box.path, {{"mailbox-device-claim", r1}, {"mailbox-request-id", read_id}}));
  if (ctx.check_status(read, {200}, "READ(R1) with lower-case header names")) {
    exchange::payload_is(ctx, ctx.json_body(read, "READ(R1)"), body["payload"], "READ(R1)");
    exchange::check_echo(ctx, read, read_id, true, "READ(R1)");
  }
  const nlohmann::json update = {{"payload", ctx.payload(48)}};
  auto updated = ctx.send(checks::request(
      "PUT", box.path,
      {{"mailbox-device-claim", r1}, {"mailbox-request-id", ctx.uuid()}, {"content-type", "application/json"}},
      update.dump()));
  ctx.check_status(updated, {200}, "UPDATE(R1) with lower-case header names");
  reads_payload(ctx, box, initiator, update["payload"], "READ(I) after R1's update");
  auto removed = ctx.send(
      checks::request("DELETE", box.path, {{"mailbox-device-claim", initiator}, {"mailbox-request-id", ctx.uuid()}}));
  ctx.check_status(removed, {200}, "DELETE(I) with lower-case header names");
}

TIGRESS_CASE(kRelay, "4.2/utf-8-nfc-round-trip", "4.2", kMessageFormat, kShould, ({"MBX-GEN-05"}),
             "NFC display strings come back from Read with the same code points, as valid UTF-8") {
  auto body = ctx.create_body();
  const std::string title = "Schl\u00fcssel Caf\u00e9 \U0001F511";
  const std::string description = "\u041a\u043b\u044e\u0447 \u00b7 \u9375 \u00b7 \u0645\u0641\u062a\u0627\u062d";
  body["displayInformation"]["title"] = title;
  body["displayInformation"]["description"] = description;
  auto box = ctx.create_mailbox(body);
  auto read = ctx.read(box, box.initiator);
  if (!ctx.check_status(read, {200}, "READ(I)")) return;
  ctx.check(checks::valid_utf8(read.body), "the Read body is not valid UTF-8");
  const auto read_json = ctx.json_body(read, "READ(I)");
  const auto display = exchange::display_of(read_json);
  if (!ctx.check(display.has_value(), "READ: no usable displayInformation")) return;
  ctx.check(display->value("title", "") == title, "title changed: " + display->value("title", "(absent)"));
  ctx.check(display->value("description", "") == description, "description changed");
}

TIGRESS_CASE(kRelay, "4.2/nfd-strings-kept-or-normalised", "4.2", kMessageFormat, kShould, ({"MBX-GEN-05"}),
             "an NFD title comes back unchanged, or normalised to NFC, and nothing else") {
  // AMB-37: clients normalise; the relay stores strings unchanged [S] or normalises to NFC [L].
  auto body = ctx.create_body();
  const std::string nfd = "Cafe\u0301 cle\u0301";
  const std::string nfc = "Caf\u00e9 cl\u00e9";
  body["displayInformation"]["title"] = nfd;
  auto box = ctx.create_mailbox(body);
  const auto read_json = exchange::read_body(ctx, box, box.initiator, "READ(I)");
  const auto display = exchange::display_of(read_json);
  if (!ctx.check(display.has_value(), "READ: no usable displayInformation")) return;
  const std::string got = display->value("title", "");
  if (got == nfc) ctx.note("the relay normalised the title to NFC (AMB-37 lenient)");
  ctx.check(got == nfd || got == nfc, "the NFD title came back as neither itself nor its NFC form");
}

TIGRESS_CASE(kRelay, "4.2/json-media-types", "4.2", kMessageFormat, kMust,
             ({"MBX-GEN-04", "MBX-CREATE-02", "MBX-UPDATE-03"}),
             "Create, Update and Read answer application/json bodies that parse") {
  const auto body = ctx.create_body("RWD");
  const std::string initiator = ctx.uuid();
  auto created = ctx.create(initiator, body);
  if (!ctx.check_status(created, {200}, "CreateMailbox")) return;
  auto box = checks::mailbox_from(ctx, created, initiator, body);
  const std::pair<std::string, harness::HttpResponse> responses[] = {
      {"CreateMailbox", created},
      {"UpdateMailbox", ctx.update(box, initiator, {{"payload", ctx.payload()}})},
      {"ReadSecureContentFromMailbox", ctx.read(box, initiator)}};
  for (const auto& [what, response] : responses) {
    if (!ctx.check_status(response, {200}, what)) continue;
    ctx.check(checks::media_type(response) == "application/json",
              what + " Content-Type is \"" + response.header("Content-Type").value_or("") + "\"");
    auto json = ctx.json_body(response, what);
    ctx.check(json.is_discarded() || json.is_object(), what + ": body is not a JSON object");
  }
}

TIGRESS_CASE(kRelay, "4.2/no-credentials-or-cookies", "4.2", kConfidentiality, kMust,
             ({"MBX-DES-07", "MBX-PRIV-01", "MBX-PRIV-03", "MBX-DES-04"}),
             "no request needs a cookie or Authorization, and no response, errors included, sets a cookie") {
  // 3.3: no identifying information is demanded; 8.1.3: identities are not tracked. The draft's
  // headers alone must carry the exchange headless (no redirect to a login, no auth challenge),
  // and a cookie on any answer, even an error, would be a tracking identifier.
  std::vector<std::pair<std::string, harness::HttpResponse>> flow, errors;
  const std::string initiator = ctx.uuid(), r1 = ctx.uuid();
  const auto body = ctx.create_body("RWD");
  flow.emplace_back("CreateMailbox", ctx.create(initiator, body));
  if (!ctx.check_status(flow.back().second, {200}, "CreateMailbox")) return;
  auto box = checks::mailbox_from(ctx, flow.back().second, initiator, body);
  flow.emplace_back("READ(R1)", ctx.read(box, r1));
  flow.emplace_back("UPDATE(R1)", ctx.update(box, r1, {{"payload", ctx.payload()}}));
  flow.emplace_back("READ(I)", ctx.read(box, initiator));
  errors.emplace_back("READ by a stranger", ctx.read(box, ctx.uuid()));
  errors.emplace_back("UPDATE with body {}", ctx.update(box, initiator, nlohmann::json::object()));
  errors.emplace_back("CreateMailbox without a claim", ctx.create(std::nullopt, ctx.create_body()));
  errors.emplace_back("READ of an unknown mailbox", ctx.read(checks::unknown_like(ctx, box), r1));
  flow.emplace_back("DELETE(R1)", ctx.remove(box, r1));
  for (const auto& [what, response] : flow) {
    ctx.check_status(response, {200}, what + " with only the draft's headers");
    ctx.check(response.header_count("WWW-Authenticate") == 0 && response.header_count("Proxy-Authenticate") == 0,
              what + " asks for HTTP authentication");
  }
  for (const auto* list : {&flow, &errors}) {
    for (const auto& [what, response] : *list) {
      ctx.check(!(response.status >= 300 && response.status < 400),
                what + " redirects (" + std::to_string(response.status) + ")");
      ctx.check(response.header_count("Set-Cookie") == 0 && response.header_count("Set-Cookie2") == 0,
                what + " sets a cookie");
    }
  }
}

TIGRESS_CASE(kRelay, "4.2/multi-round-trip", "4.2", kMessageFormat, kMust, ({"MBX-DES-02", "MBX-UPDATE-09"}),
             "initiator and recipient exchange several messages through one mailbox") {
  // MBX-DES-02 exactly: I p0; R1 reads p0, writes p1; I reads p1, writes p2; R1 reads p2; R1 closes.
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  const std::string r1 = ctx.uuid();
  reads_payload(ctx, box, r1, box.created["payload"], "READ(R1) of p0");
  const nlohmann::json p1 = {{"payload", ctx.payload(72)}}, p2 = {{"payload", ctx.payload(88)}};
  ctx.check_status(ctx.update(box, r1, p1), {200}, "UPDATE(R1) p1");
  reads_payload(ctx, box, box.initiator, p1["payload"], "READ(I) of p1");
  ctx.check_status(ctx.update(box, box.initiator, p2), {200}, "UPDATE(I) p2");
  reads_payload(ctx, box, r1, p2["payload"], "READ(R1) of p2");
  ctx.check_status(ctx.remove(box, r1), {200}, "DELETE(R1) closing the exchange");
}

TIGRESS_SLOW_CASE(kRelay, "4.2/store-and-forward", "4.2", kMessageFormat, kMust, ({"MBX-DES-05"}),
                  "messages wait in the mailbox while the other party is offline") {
  // 3.3: both sides need not be online at once. Every request is its own connection, so between
  // steps nobody is connected; the pauses are short (the digest's minutes would stall the run)
  // but long enough that nothing can rely on an open exchange.
  constexpr auto kOffline = std::chrono::seconds(2);
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  std::this_thread::sleep_for(kOffline);
  const std::string r1 = ctx.uuid();
  reads_payload(ctx, box, r1, box.created["payload"], "READ(R1) after the initiator went offline");
  const nlohmann::json reply = {{"payload", ctx.payload(60)}};
  ctx.check_status(ctx.update(box, r1, reply), {200}, "UPDATE(R1)");
  std::this_thread::sleep_for(kOffline);
  reads_payload(ctx, box, box.initiator, reply["payload"], "READ(I) after the recipient went offline");
}

TIGRESS_CASE(kRelay, "4.2/opaque-random-data", "4.2", kConfidentiality, kMust,
             ({"MBX-DES-08", "MBX-ENC-05", "MBX-PRIV-02"}),
             "4 KiB of random ciphertext is relayed byte-identical in both directions") {
  auto body = ctx.create_body("RWD");
  body["payload"] = {{"type", "AEAD_AES_256_GCM"}, {"data", ctx.random_base64(4096)}};
  auto box = ctx.create_mailbox(body);
  const std::string r1 = ctx.uuid();
  reads_payload(ctx, box, box.initiator, body["payload"], "READ(I) of the 4 KiB payload");
  reads_payload(ctx, box, r1, body["payload"], "READ(R1) of the 4 KiB payload");
  const nlohmann::json reply = {{"payload", {{"type", "AEAD_AES_128_GCM"}, {"data", ctx.random_base64(4096)}}}};
  ctx.check_status(ctx.update(box, r1, reply), {200}, "UPDATE(R1) with 4 KiB");
  reads_payload(ctx, box, box.initiator, reply["payload"], "READ(I) of R1's 4 KiB reply");
}

TIGRESS_CASE(kRelay, "4.2/unknown-payload-type", "4.2", kMessageFormat, kMust, ({"MBX-ENC-05"}),
             "an unknown payload.type is stored and returned as given (or refused with 400)") {
  // AMB-47: the relay checks only the JSON shape [S]; 400 for an unknown type [L].
  ctx.control_create();
  auto body = ctx.create_body();
  body["payload"]["type"] = "org.example.future-aead-v9";
  const std::string initiator = ctx.uuid();
  auto created = ctx.create(initiator, body);
  if (!ctx.check_status(created, ctx.accepted_statuses("AMB-47"), "CreateMailbox with an unknown payload.type")) return;
  if (created.status == 400) return ctx.reading("unknown payload.type refused with 400 (AMB-47 lenient)");
  auto box = checks::mailbox_from(ctx, created, initiator, body);
  reads_payload(ctx, box, initiator, body["payload"], "READ(I)");
}

TIGRESS_CASE(kRelay, "4.2/payload-data-opaque", "4.2", kMessageFormat, kMust, ({"MBX-ENC-05", "MBX-DES-08"}),
             "payload.data that is not standard base64 is stored unchanged (or refused with 400)") {
  // AMB-47 again, for the data: [S] opaque, returned byte-identical; [L] 400 for invalid base64.
  // base64url and unpadded forms are what clients may really send (AMB-45).
  ctx.control_create();
  for (const std::string& data : {std::string("q83vEjRWeJq8_-3v-_7_-A"), std::string("not base64 at all: ~!{}")}) {
    auto body = ctx.create_body();
    body["payload"]["data"] = data;
    const std::string initiator = ctx.uuid();
    auto created = ctx.create(initiator, body);
    if (!ctx.check_status(created, ctx.accepted_statuses("AMB-47"), "CreateMailbox with payload.data \"" + data + "\""))
      continue;
    if (created.status == 400) {
      ctx.reading("payload.data \"" + data + "\" refused with 400 (AMB-47 lenient)");
      continue;
    }
    auto box = checks::mailbox_from(ctx, created, initiator, body);
    reads_payload(ctx, box, initiator, body["payload"], "READ(I) of payload.data \"" + data + "\"");
  }
}

TIGRESS_CASE(kRelay, "4.2/parallel-mailboxes-independent", "4.2", kMessageFormat, kMust,
             ({"MBX-DES-09", "MBX-BIND-01"}),
             "several mailboxes with unrelated claims live side by side without affecting each other") {
  MailboxRef boxes[3];
  std::string recipients[3];
  nlohmann::json replies[3];
  for (int i = 0; i < 3; ++i) {
    boxes[i] = ctx.create_mailbox(ctx.create_body("RWD"));
    recipients[i] = ctx.bind_recipient(boxes[i]);
    replies[i] = {{"payload", ctx.payload(40 + 8 * i)}};
    ctx.check_status(ctx.update(boxes[i], recipients[i], replies[i]), {200},
                     "UPDATE by the recipient of mailbox " + std::to_string(i));
  }
  ctx.check(boxes[0].id != boxes[1].id && boxes[1].id != boxes[2].id && boxes[0].id != boxes[2].id,
            "two creates returned the same mailbox");
  ctx.check_status(ctx.read(boxes[1], recipients[0]), checks::refused(ctx),
                   "READ of mailbox 1 by mailbox 0's recipient");
  ctx.check_status(ctx.update(boxes[2], boxes[0].initiator, {{"payload", ctx.payload()}}), checks::refused(ctx),
                   "UPDATE of mailbox 2 by mailbox 0's initiator");
  ctx.check_status(ctx.remove(boxes[0], boxes[0].initiator), {200}, "DELETE of mailbox 0");
  for (int i = 1; i < 3; ++i) {
    reads_payload(ctx, boxes[i], boxes[i].initiator, replies[i]["payload"], "READ(I) of mailbox " + std::to_string(i));
  }
}

}  // namespace tigress::conformance
