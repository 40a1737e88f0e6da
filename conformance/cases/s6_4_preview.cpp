// Draft section 6.4, ReadDisplayInformationFromMailbox: GET /v1/m/{id} renders the display
// information as an HTML page with OpenGraph metadata, for anyone holding the URL (messaging
// apps fetch the share URL minus its fragment to draw a preview). Digest rows MBX-PREVIEW-01..09
// and the preview threat-model rows TM-12..14; ambiguities AMB-17, AMB-44, AMB-54, AMB-55, AMB-63.
#include <algorithm>
#include <initializer_list>
#include <string>

#include "conformance/cases/html_scan.hpp"
#include "conformance/cases/relay_checks.hpp"
#include "conformance/framework/case_context.hpp"

namespace tigress::conformance {
namespace {

using checks::contains;
using checks::contains_ci;

struct Display {
  std::string title = "Car Key";
  std::string description = "A key shared by the conformance suite";
  std::string image = "https://example.com/key.png";
};

nlohmann::json body_with(CaseContext& ctx, const Display& display) {
  auto body = ctx.create_body();
  body["displayInformation"] = {
      {"title", display.title}, {"description", display.description}, {"imageURL", display.image}};
  return body;
}

struct Preview {
  harness::HttpResponse response;
  html::Page page;
};

Preview fetch(CaseContext& ctx, const MailboxRef& box, const std::string& query = "") {
  auto response = ctx.preview(box, query);
  auto page = html::scan(response.body);
  return {std::move(response), std::move(page)};
}

// og:title, og:description and og:image equal the created strings after entity decoding
// (MBX-PREVIEW-02). Returns false (after recording why) when one differs.
bool check_open_graph(CaseContext& ctx, const Preview& preview, const Display& display, const std::string& where) {
  bool all = true;
  const std::pair<const char*, const std::string*> expected[] = {
      {"title", &display.title}, {"description", &display.description}, {"image", &display.image}};
  for (const auto& [property, value] : expected) {
    auto got = html::open_graph(preview.page, property);
    all = ctx.check(got.has_value(), where + ": no og:" + property + " meta tag") && all;
    if (got)
      all =
          ctx.check(*got == *value, where + ": og:" + property + " is \"" + *got + "\", created \"" + *value + "\"") &&
          all;
  }
  return all;
}

// The preview of a hostile display string is the preview of a benign one with the string
// replaced: same elements, same attribute names, no event handler, no script (MBX-PREVIEW-08,
// TM-14). `og` names the OpenGraph property the string should show up in, escaped.
void check_inert(CaseContext& ctx, const Preview& baseline, const Display& hostile, const std::string& field,
                 const std::string& value, const std::string& og) {
  // A refused imageURL may pass (AMB-63): the relay must first take the same body with a benign one.
  if (field == "imageURL" && !ctx.has_passed_control()) {
    ctx.control(ctx.create_request(ctx.uuid(), body_with(ctx, Display{})), "CreateMailbox with benign display strings");
  }
  const std::string initiator = ctx.uuid();
  const auto body = body_with(ctx, hostile);
  auto created = ctx.create(initiator, body);
  if (field == "imageURL" && created.status == 400) {
    ctx.reading("imageURL " + value + " refused with 400 at creation (AMB-63 lenient)");
    return;
  }
  if (!ctx.check_status(created, {200}, "CreateMailbox with hostile " + field)) return;
  auto preview = fetch(ctx, checks::mailbox_from(ctx, created, initiator, body));
  const std::string what = "PREVIEW with " + field + " " + value;
  if (!ctx.check_status(preview.response, {200}, what)) return;
  // Judged on the tokenized page, not on its bytes: "<script>" in a quoted attribute value
  // whose quote is escaped (c&quot;><script>) is text, and only an element can run.
  const auto scripts = html::elements(preview.page, "script");
  const std::size_t benign_scripts = html::elements(baseline.page, "script").size();
  if (scripts.size() > benign_scripts) {
    std::string starts;
    for (const auto* tag : scripts) starts += " " + std::to_string(tag->offset);
    ctx.check(false, what + ": " + std::to_string(scripts.size()) + " <script> element(s) (benign page: " +
                         std::to_string(benign_scripts) + "), starting at bytes" + starts);
  }
  ctx.check(html::event_handlers(preview.page) == html::event_handlers(baseline.page),
            what + ": an inline event handler attribute appeared");
  auto got = html::structure(preview.page), want = html::structure(baseline.page);
  if (got != want) {
    std::size_t k = 0;
    while (k < got.size() && k < want.size() && got[k] == want[k]) ++k;
    ctx.check(false, what + ": markup injected, element " + std::to_string(k) + " is " +
                         (k < got.size() ? got[k] : "missing") + ", benign page has " +
                         (k < want.size() ? want[k] : "nothing"));
  }
  auto shown = html::open_graph(preview.page, og);
  bool escaped = shown && *shown == value;
  for (const auto& tag : preview.page.tags) escaped = escaped || (tag.name == "title" && tag.text == value);
  if (!escaped) ctx.warn(what + ": the string is not shown (escaped) in og:" + og + "; sanitised or dropped?");
}

Preview benign_baseline(CaseContext& ctx) {
  auto box = ctx.create_mailbox(body_with(ctx, Display{}));
  auto baseline = fetch(ctx, box);
  if (baseline.response.status != 200) ctx.setup_refused("PREVIEW of a benign mailbox", baseline.response);
  return baseline;
}

// check_inert for each of `values` in one display member (`field` in JSON, og:`og` on the page),
// against one benign baseline.
void check_each_inert(CaseContext& ctx, std::string Display::*member, const std::string& field, const std::string& og,
                      std::initializer_list<std::string> values) {
  const Preview baseline = benign_baseline(ctx);
  for (const std::string& value : values) {
    Display hostile;
    hostile.*member = value;
    check_inert(ctx, baseline, hostile, field, value, og);
  }
}

// Script sources and inline handlers of the page (same-origin external scripts fetched).
std::vector<std::string> script_texts(CaseContext& ctx, const Preview& preview) {
  std::vector<std::string> texts;
  for (const auto& tag : preview.page.tags) {
    for (const auto& [name, value] : tag.attributes) {
      if (name.starts_with("on") || checks::lower(value).starts_with("javascript:")) texts.push_back(value);
    }
    if (tag.name != "script") continue;
    texts.push_back(tag.text);
    const std::string* src = tag.attribute("src");
    if (src != nullptr && src->starts_with("/") && !src->starts_with("//")) {
      auto script = ctx.send(checks::request("GET", *src));
      texts.push_back(script.body);
    } else if (src != nullptr) {
      ctx.note("external script " + *src + " not inspected");
    }
  }
  return texts;
}

// Does the Content-Security-Policy keep inline and foreign scripts from running (TM-12)?
bool csp_restricts_scripts(const harness::HttpResponse& response, std::string& why) {
  for (const auto& [name, value] : response.headers) {
    if (checks::lower(name) != "content-security-policy") continue;
    std::string policy = checks::lower(value), directive, fallback;
    std::size_t start = 0;
    while (start <= policy.size()) {
      std::size_t end = policy.find(';', start);
      if (end == std::string::npos) end = policy.size();
      std::string part = policy.substr(start, end - start);
      part.erase(0, part.find_first_not_of(" \t"));
      if (part.starts_with("script-src ") || part == "script-src") directive = part;
      if (part.starts_with("default-src ") || part == "default-src") fallback = part;
      start = end + 1;
    }
    if (directive.empty()) directive = fallback;
    if (directive.empty()) continue;
    const bool hashed = contains(directive, "'nonce-") || contains(directive, "'sha");
    bool loose = contains(directive, " *") || contains(directive, " http:") || contains(directive, " https:") ||
                 contains(directive, " data:");
    loose = loose || (contains(directive, "'unsafe-inline'") && !hashed);
    if (!loose) return true;
    why = "Content-Security-Policy allows foreign or inline scripts: " + directive;
  }
  if (why.empty()) why = "no Content-Security-Policy restricts script-src";
  return false;
}

}  // namespace

TIGRESS_CASE(kRelay, "6.4/preview-html", "6.4", kMessageFormat, kMust, ({"MBX-PREVIEW-01", "MBX-GEN-04"}),
             "anyone with the URL gets the preview as 200 text/html, no claim needed") {
  auto box = ctx.create_mailbox();
  auto page = ctx.preview(box);
  ctx.check_status(page, {200}, "PREVIEW without Tigress headers");
  ctx.check(checks::media_type(page) == "text/html",
            "PREVIEW Content-Type is \"" + page.header("Content-Type").value_or("") + "\", not text/html");
  ctx.check(!page.body.empty(), "PREVIEW body is empty");
}

TIGRESS_CASE(kRelay, "6.4/opengraph-values", "6.4", kMessageFormat, kShould, ({"MBX-PREVIEW-02"}),
             "og:title, og:description and og:image carry the created strings") {
  // Characters that must be escaped in HTML check the decoding as well as the rendering.
  Display display{"Schl\u00fcssel & \"Garage\" <2>", "O'Brien's key; 5 > 3 & 2 < 4",
                  "https://img.example/key.png?size=2&format=png"};
  auto box = ctx.create_mailbox(body_with(ctx, display));
  auto preview = fetch(ctx, box);
  if (!ctx.check_status(preview.response, {200}, "PREVIEW")) return;
  check_open_graph(ctx, preview, display, "PREVIEW");
  bool prefix = false;
  for (const auto& tag : preview.page.tags) {
    if (tag.name == "html" && tag.attribute("prefix")) prefix = contains(*tag.attribute("prefix"), "og:");
  }
  if (!prefix) ctx.note("no <html prefix=\"og: ...\"> declaration (optional, MBX-PREVIEW-02 lenient)");
}

TIGRESS_CASE(kRelay, "6.4/unknown-mailbox", "6.4", kMessageFormat, kMust, ({"MBX-PREVIEW-03"}),
             "the preview of an unknown mailbox is 404") {
  auto box = ctx.create_mailbox();
  ctx.check_status(ctx.preview(checks::unknown_like(ctx, box)), {404}, "PREVIEW of a random UUID");
}

TIGRESS_CASE(kRelay, "6.4/no-payload", "6.4", kConfidentiality, kMust, ({"MBX-PREVIEW-04", "MBX-DES-01"}),
             "the preview page carries neither payload.data nor payload.type") {
  // A distinctive type (one of the two registered names) and random data: neither can appear
  // in a page by chance. Checked for the created payload and for one written by Update.
  auto body = ctx.create_body();
  body["payload"] = {{"type", "AEAD_AES_256_GCM"}, {"data", ctx.random_base64(60)}};
  auto box = ctx.create_mailbox(body);
  nlohmann::json update = {{"payload", {{"type", "AEAD_AES_256_GCM"}, {"data", ctx.random_base64(60)}}}};
  for (int round = 0; round < 2; ++round) {
    const nlohmann::json& payload = round == 0 ? body["payload"] : update["payload"];
    auto preview = ctx.preview(box);
    std::string everything = preview.body;
    for (const auto& [name, value] : preview.headers) everything += "\n" + name + ": " + value;
    const std::string data = payload["data"];
    const std::string when = round == 0 ? "after CreateMailbox" : "after UpdateMailbox";
    ctx.check_status(preview, {200}, "PREVIEW " + when);
    ctx.check(!contains(everything, data) && !contains(everything, data.substr(0, 24)),
              "PREVIEW " + when + " contains payload.data");
    ctx.check(!contains(everything, payload["type"].get<std::string>()), "PREVIEW " + when + " contains payload.type");
    if (round == 0) ctx.check_status(ctx.update(box, box.initiator, update), {200}, "UPDATE by the initiator");
  }
}

TIGRESS_CASE(kRelay, "6.4/no-claims-or-tokens", "6.4", kConfidentiality, kMust, ({"MBX-PREVIEW-04", "MBX-BIND-01"}),
             "the preview page shows no device claim and no notification token") {
  // A claim is the only credential of a bound party: one printed on a public page lets anyone
  // read or write as that party.
  auto body = ctx.create_body();
  const std::string initiator_token = ctx.random_base64(33);
  body["notificationToken"] = checks::token(initiator_token);
  auto box = ctx.create_mailbox(body);
  const std::string recipient = ctx.uuid(), recipient_token = ctx.random_base64(33);
  auto read = ctx.read(box, recipient, nlohmann::json{{"notificationToken", checks::token(recipient_token)}}.dump());
  if (read.status != 200) {
    // The case would pass without the recipient's token: the same READ without it is the control.
    ctx.note("Read with a notificationToken body answered " + std::to_string(read.status) + " (AMB-07); read without");
    const auto plain =
        ctx.control(ctx.read_request(box, recipient), "first READ by the recipient without a notificationToken");
    ctx.check_status(plain, {200}, "first READ by the recipient");
  }
  auto preview = ctx.preview(box);
  ctx.check_status(preview, {200}, "PREVIEW");
  std::string everything = preview.body;
  for (const auto& [name, value] : preview.headers) everything += "\n" + name + ": " + value;
  ctx.check(!contains_ci(everything, box.initiator), "PREVIEW shows the initiator's device claim");
  ctx.check(!contains_ci(everything, recipient), "PREVIEW shows the recipient's device claim");
  ctx.check(!contains(everything, initiator_token), "PREVIEW shows the initiator's notification token");
  ctx.check(!contains(everything, recipient_token), "PREVIEW shows the recipient's notification token");
}

TIGRESS_CASE(kRelay, "6.4/preview-does-not-bind", "6.4", kAntiReplay, kMust, ({"MBX-PREVIEW-05", "MBX-BIND-01"}),
             "three previews neither bind nor consume; the first read then binds") {
  auto box = ctx.create_mailbox();
  for (int i = 1; i <= 3; ++i) ctx.check_status(ctx.preview(box), {200}, "PREVIEW #" + std::to_string(i));
  const std::string r1 = ctx.uuid();
  ctx.check_status(ctx.read(box, r1), {200}, "first READ(R1) after three previews");
  ctx.check_status(ctx.read(box, ctx.uuid()), checks::refused(ctx), "READ(R2) once R1 is bound");
  ctx.check_status(ctx.read(box, r1), {200}, "READ(R1) again");
}

TIGRESS_CASE(kRelay, "6.4/vertical-query", "6.4", kMessageFormat, kMust, ({"MBX-PREVIEW-06", "MBX-PREVIEW-01"}),
             "the share URL with ?v=c, ?v=a, ?v=h previews like the bare URL") {
  // Messaging apps fetch the share URL minus the fragment, query included (7.3.1).
  auto box = ctx.create_mailbox();
  auto bare = fetch(ctx, box);
  if (!ctx.check_status(bare.response, {200}, "PREVIEW without query")) return;
  for (const char* vertical : {"c", "a", "h"}) {
    auto with = fetch(ctx, box, std::string("v=") + vertical);
    const std::string what = std::string("PREVIEW ?v=") + vertical;
    if (!ctx.check_status(with.response, {200}, what)) continue;
    ctx.check(checks::media_type(with.response) == "text/html", what + ": not text/html");
    for (const char* property : {"title", "description", "image"}) {
      ctx.check(html::open_graph(with.page, property) == html::open_graph(bare.page, property),
                what + ": og:" + property + " differs from the bare URL's");
    }
  }
}

TIGRESS_CASE(kRelay, "6.4/claim-header-ignored", "6.4", kAntiReplay, kMust, ({"MBX-PREVIEW-05", "MBX-BIND-01"}),
             "a GET carrying a device claim is a plain preview and binds nobody") {
  // AMB-54: the claim header on a preview is ignored; R1 therefore stays unbound and R2 binds.
  auto box = ctx.create_mailbox();
  const std::string r1 = ctx.uuid(), r2 = ctx.uuid();
  ctx.check_status(ctx.send(checks::request("GET", box.path, {{"Mailbox-Device-Claim", r1}})), {200},
                   "GET with Mailbox-Device-Claim R1");
  ctx.check_status(ctx.read(box, r2), {200}, "READ(R2) after the GET with R1's claim");
  ctx.check_status(ctx.read(box, r1), checks::refused(ctx), "READ(R1): R2 is the bound recipient");
}

TIGRESS_CASE(kRelay, "6.4/title-escaped", "6.4", kConfidentiality, kMust, ({"MBX-PREVIEW-08", "TM-14", "MBX-DES-01"}),
             "a title with markup is shown escaped, no script element appears") {
  // Script on the relay's origin would see location.hash, which holds the share secret.
  check_each_inert(
      ctx, &Display::title, "title", "title",
      {"\"><script>alert(1)</script>", "</title><script>alert(1)</script>", "'><script>alert(1)</script>"});
}

TIGRESS_CASE(kRelay, "6.4/description-escaped", "6.4", kConfidentiality, kMust,
             ({"MBX-PREVIEW-08", "TM-14", "MBX-DES-01"}),
             "a description with markup is shown escaped, no element or handler appears") {
  check_each_inert(
      ctx, &Display::description, "description", "description",
      {"</title><img src=x onerror=alert(1)>", "\"><img src=x onerror=alert(1)>", "'><img src=x onerror=alert(1)>"});
}

TIGRESS_CASE(kRelay, "6.4/image-url-escaped", "6.4", kConfidentiality, kMust,
             ({"MBX-PREVIEW-08", "TM-14", "MBX-DES-01"}),
             "an imageURL that tries to break out of its attribute stays inert") {
  // AMB-63: any string is stored (a relay may refuse non-https URLs with 400); escaping is
  // what matters.
  check_each_inert(ctx, &Display::image, "imageURL", "image",
                   {"https://e.example/a\"onerror=\"alert(1)", "https://e.example/b'onerror='alert(1)",
                    "https://e.example/c\"><script>alert(1)</script>"});
  Display scheme;
  scheme.image = "javascript:alert(1)";
  if (!ctx.has_passed_control()) {
    ctx.control(ctx.create_request(ctx.uuid(), body_with(ctx, Display{})), "CreateMailbox with benign display strings");
  }
  const std::string initiator = ctx.uuid();
  const auto body = body_with(ctx, scheme);
  auto created = ctx.create(initiator, body);
  if (created.status == 400) return ctx.reading("javascript: imageURL refused with 400 (AMB-63 lenient)");
  if (!ctx.check_status(created, {200}, "CreateMailbox with a javascript: imageURL")) return;
  auto preview = fetch(ctx, checks::mailbox_from(ctx, created, initiator, body));
  ctx.check_status(preview.response, {200}, "PREVIEW with a javascript: imageURL");
  for (const auto& tag : preview.page.tags) {
    for (const char* attribute : {"href", "src", "action", "formaction", "srcdoc"}) {
      const std::string* value = tag.attribute(attribute);
      ctx.check(value == nullptr || !checks::lower(*value).starts_with("javascript:"),
                "PREVIEW puts the javascript: URL in " + tag.name + "." + attribute);
    }
  }
  ctx.check(html::event_handlers(preview.page).empty(), "PREVIEW with a javascript: imageURL has event handlers");
}

TIGRESS_CASE(kRelay, "6.4/no-script", "6.4", kConfidentiality, kShould, ({"MBX-PREVIEW-07", "TM-12"}),
             "the preview runs no script, or only scripts a CSP pins") {
  auto box = ctx.create_mailbox();
  auto preview = fetch(ctx, box);
  if (!ctx.check_status(preview.response, {200}, "PREVIEW")) return;
  int scripts = 0;
  for (const auto& tag : preview.page.tags) {
    if (tag.name != "script") continue;
    ++scripts;
    const std::string* src = tag.attribute("src");
    ctx.check(src == nullptr || (src->starts_with("/") && !src->starts_with("//")),
              "PREVIEW loads a script from another origin: " + (src ? *src : std::string()));
  }
  auto handlers = html::event_handlers(preview.page);
  ctx.check(handlers.empty(), "PREVIEW has inline event handlers (" + std::to_string(handlers.size()) + ")");
  std::string why;
  const bool pinned = csp_restricts_scripts(preview.response, why);
  if (scripts == 0) return ctx.note(pinned ? "no script; CSP restricts scripts too" : "no script; " + why);
  ctx.check(pinned, "PREVIEW has " + std::to_string(scripts) + " script element(s) and " + why);
}

TIGRESS_CASE(kRelay, "6.4/no-location-hash-scripts", "6.4", kConfidentiality, kAdvisory, ({"TM-13"}),
             "no script on the preview page reads the URL fragment") {
  // The fragment of the share URL is the payload key (8.2.1): page script must not touch it.
  auto box = ctx.create_mailbox();
  auto preview = fetch(ctx, box);
  if (!ctx.check_status(preview.response, {200}, "PREVIEW")) return;
  for (const auto& text : script_texts(ctx, preview)) {
    for (const char* api : {"location.hash", "location.href", "document.url", "window.location", "document.location",
                            "documenturi", "baseuri", "location[", "location.tostring"}) {
      ctx.check(!contains_ci(text, api), std::string("a script of the preview uses ") + api);
    }
  }
}

TIGRESS_CASE(kRelay, "6.4/available-after-binding", "6.4", kMessageFormat, kMust,
             ({"MBX-PREVIEW-09", "MBX-PREVIEW-01"}),
             "the preview stays available after binding, update and relinquish") {
  Display display;
  auto box = ctx.create_mailbox(body_with(ctx, display));
  auto before = fetch(ctx, box);
  ctx.check_status(before.response, {200}, "PREVIEW before binding");
  const std::string r1 = ctx.bind_recipient(box);
  auto bound = fetch(ctx, box);
  if (ctx.check_status(bound.response, {200}, "PREVIEW after R1 bound")) {
    ctx.check(html::structure(bound.page) == html::structure(before.page) &&
                  html::open_graph(bound.page, "title") == html::open_graph(before.page, "title"),
              "PREVIEW changed when R1 bound");
  }
  ctx.check_status(ctx.update(box, r1, {{"payload", ctx.payload()}}), {200}, "UPDATE by R1");
  ctx.check_status(ctx.preview(box), {200}, "PREVIEW after R1's update");
  if (!ctx.check_status(ctx.relinquish(box, r1), {200}, "RELINQ by R1")) return;
  ctx.check_status(ctx.preview(box), {200}, "PREVIEW after relinquish");
}

TIGRESS_CASE(kRelay, "6.4/referrer-policy", "6.4", kConfidentiality, kAdvisory, ({"TM-13"}),
             "the preview sends a Referrer-Policy that does not leak the mailbox URL") {
  // Hardening named by TM-13: the og:image fetch must not carry the mailbox URL to the image
  // host. Cache-Control (AMB-55) is informational and only noted.
  auto box = ctx.create_mailbox();
  auto preview = ctx.preview(box);
  if (!ctx.check_status(preview, {200}, "PREVIEW")) return;
  auto policy = preview.header("Referrer-Policy");
  if (ctx.check(policy.has_value(), "PREVIEW has no Referrer-Policy header")) {
    std::string last = checks::lower(*policy);
    last = last.substr(last.find_last_of(',') == std::string::npos ? 0 : last.find_last_of(',') + 1);
    last.erase(0, last.find_first_not_of(" \t"));
    ctx.check(last != "unsafe-url" && last != "no-referrer-when-downgrade",
              "Referrer-Policy \"" + *policy + "\" sends the full mailbox URL cross-origin");
  }
  ctx.note("Cache-Control: " + preview.header("Cache-Control").value_or("(absent)") +
           " (AMB-55 suggests no-store or a short max-age)");
}

TIGRESS_CASE(kRelay, "6.4/head-request", "6.4", kMessageFormat, kMust, ({"MBX-PREVIEW-01"}),
             "HEAD on the preview answers like GET, without content") {
  // RFC 9110 9.3.2: HEAD is GET without content; a relay that does not implement it may say
  // 405 or 501 (lenient), but never sends content or fails.
  // The control: the same request as GET.
  auto box = ctx.create_mailbox();
  ctx.control(checks::request("GET", box.path), "GET of the preview");
  auto head = ctx.send(checks::request("HEAD", box.path));
  if (head.status == 405 || head.status == 501) return ctx.reading("HEAD answered " + std::to_string(head.status));
  ctx.check_status(head, {200}, "HEAD on the mailbox");
  ctx.check(head.body.empty(), "HEAD response carries content");
  ctx.check(checks::media_type(head) == checks::media_type(ctx.preview(box)), "HEAD and GET differ in Content-Type");
  ctx.check_status(ctx.read(box, ctx.uuid()), {200}, "first READ after HEAD (HEAD binds nobody)");
}

TIGRESS_CASE(kRelay, "6.4/utf-8-display-strings", "6.4", kMessageFormat, kShould, ({"MBX-GEN-05", "MBX-PREVIEW-02"}),
             "non-ASCII display strings reach the page as declared UTF-8, code points intact") {
  Display display{"Schl\u00fcssel Caf\u00e9 \U0001F511", "\u9375 \u2014 \u043a\u043b\u044e\u0447",
                  "https://example.com/key.png"};
  auto box = ctx.create_mailbox(body_with(ctx, display));
  auto preview = fetch(ctx, box);
  if (!ctx.check_status(preview.response, {200}, "PREVIEW")) return;
  ctx.check(checks::valid_utf8(preview.response.body), "PREVIEW body is not valid UTF-8");
  bool declared = contains_ci(preview.response.header("Content-Type").value_or(""), "charset=utf-8");
  for (const auto& tag : preview.page.tags) {
    const std::string* charset = tag.name == "meta" ? tag.attribute("charset") : nullptr;
    declared = declared || (charset != nullptr && checks::lower(*charset) == "utf-8");
  }
  ctx.check(declared, "PREVIEW declares no UTF-8 charset (header or <meta charset>)");
  ctx.check(html::open_graph(preview.page, "title") == display.title, "og:title lost code points");
  ctx.check(html::open_graph(preview.page, "description") == display.description, "og:description lost code points");
}

}  // namespace tigress::conformance

namespace tigress::conformance {

TIGRESS_CASE(kRelay, "6.4/display-text-fidelity", "6.4", kMessageFormat, kMust, ({"MBX-PREVIEW-08", "MBX-PREVIEW-02"}),
             "display strings holding '&' and character references come back as written after HTML decoding") {
  // Escaping only the markup characters keeps script out but shows "Tom &amp; Jerry" as
  // "Tom & Jerry": the page must escape '&' too, so that decoding gives back the exact text.
  Display display;
  display.title = "Tom &amp; Jerry <b>";
  display.description = "A & B &lt; C &#39;quoted&#39; &unknown; &";
  auto box = ctx.create_mailbox(body_with(ctx, display));
  auto preview = fetch(ctx, box);
  if (!ctx.check_status(preview.response, {200}, "PREVIEW of a mailbox whose strings hold '&'")) return;
  check_open_graph(ctx, preview, display, "PREVIEW");
  // The page's <title> may add the relay's name; it must hold the title as written.
  for (const auto* title : html::elements(preview.page, "title")) {
    ctx.check(contains(title->text, display.title),
              "PREVIEW: <title> reads \"" + title->text + "\" after decoding, created \"" + display.title + "\"");
  }
}

}  // namespace tigress::conformance
