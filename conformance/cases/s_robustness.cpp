// Robustness: how the relay takes client mistakes and hostile input. The draft's only rule is
// that an unparseable request gets 400 (6.1.6, 6.2.6: MBX-GEN-09); HTTP adds that a 5xx means
// the server failed (RFC 9110 15.6). So every case here: no 5xx for a client's mistake (501 only
// for an unknown method, 505 only for an unknown version, as RFC 9110 names them), the expected
// 4xx where the draft or RFC 9110/9112 name one, and a relay that still works afterwards.
// JSON inputs come from JSONTestSuite (thirdparty/jsontestsuite in the suite's data folder, the
// n_* files, which every conforming parser must reject).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "conformance/cases/exchange_checks.hpp"
#include "conformance/cases/relay_checks.hpp"
#include "conformance/framework/case_context.hpp"

namespace tigress::conformance {
namespace {

struct JsonFile {
  std::string name, bytes;
};

std::vector<JsonFile> rejected_json(CaseContext& ctx) {
  const std::filesystem::path dir =
      std::filesystem::path(ctx.options().thirdparty_dir) / "jsontestsuite" / "test_parsing";
  std::vector<JsonFile> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("n_") || !name.ends_with(".json")) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    files.push_back({name, bytes.str()});
  }
  // The files ship with the suite, so their absence is a broken installation, not a SKIP.
  if (files.empty()) {
    ctx.abort_error("JSONTestSuite n_*.json files not found under " + dir.string() + " (set " + data::kDataDirVariable +
                    " to the suite's share/tigress-suite folder)");
  }
  std::sort(files.begin(), files.end(), [](const JsonFile& a, const JsonFile& b) { return a.name < b.name; });
  return files;
}

harness::HttpRequest json_request(CaseContext& ctx, std::string method, std::string target, const std::string& claim,
                                  std::string body) {
  return checks::request(
      std::move(method), std::move(target),
      {{"Mailbox-Device-Claim", claim}, {"Mailbox-Request-ID", ctx.uuid()}, {"Content-Type", "application/json"}},
      std::move(body));
}

// Sends every rejected JSON text with `make` and checks the status is one of `accepted`.
void run_jsontestsuite(CaseContext& ctx, const std::function<harness::HttpRequest(const std::string&)>& make,
                       std::initializer_list<int> accepted, const std::string& what) {
  std::map<int, int> histogram;
  std::vector<std::string> wrong;
  for (const auto& file : rejected_json(ctx)) {
    auto response = ctx.try_send(make(file.bytes));
    const int status = response ? response->status : 0;
    ++histogram[status];
    if (std::find(accepted.begin(), accepted.end(), status) == accepted.end()) {
      wrong.push_back(file.name + " -> " +
                      (response ? std::to_string(status) : "no answer: " + response.error().message()));
    }
  }
  std::string summary;
  for (const auto& [status, count] : histogram) summary += " " + std::to_string(status) + "x" + std::to_string(count);
  ctx.note(what + " statuses (0 = no answer):" + summary);
  std::string listed;
  for (std::size_t i = 0; i < wrong.size() && i < 12; ++i) listed += (i ? "; " : "") + wrong[i];
  ctx.check(wrong.empty(),
            std::to_string(wrong.size()) + " JSONTestSuite n_* bodies got a wrong answer to " + what + ": " + listed);
}

// No 5xx (but `allowed`), and a closed connection noted rather than failed.
void check_not_server_error(CaseContext& ctx, const Result<harness::HttpResponse>& response, const std::string& what,
                            std::initializer_list<int> allowed = {}) {
  if (!response) return ctx.note(what + ": no HTTP answer (" + response.error().message() + ")");
  const bool excused = std::find(allowed.begin(), allowed.end(), response->status) != allowed.end();
  ctx.check(!checks::is_server_error(response->status) || excused,
            what + ": server error " + std::to_string(response->status) + " for a client's mistake");
}

std::string host_header(const harness::Target& target) {
  const bool v6 = target.host.find(':') != std::string::npos;
  return (v6 ? "[" + target.host + "]" : target.host) + ":" + std::to_string(target.port);
}

// A create body whose string `field` (a JSON pointer) contains `bytes` verbatim.
std::string body_with_bytes(CaseContext& ctx, const std::string& pointer, const std::string& bytes) {
  auto body = ctx.create_body();
  body[nlohmann::json::json_pointer(pointer)] = "x@@y";
  std::string text = body.dump();
  text.replace(text.find("@@"), 2, bytes);
  return text;
}

}  // namespace

TIGRESS_CASE(kRelay, "robustness/jsontestsuite-create", "robustness", kRobustness, kMust,
             ({"MBX-GEN-09", "MBX-CREATE-13"}),
             "every JSONTestSuite n_* text as a Create body gets 400 (or 413), never 2xx or 5xx") {
  ctx.control_create();
  run_jsontestsuite(
      ctx,
      [&](const std::string& bytes) { return json_request(ctx, "POST", ctx.collection_path(), ctx.uuid(), bytes); },
      {400, 413}, "CreateMailbox");
  checks::check_alive(ctx, "the JSONTestSuite creates");
}

TIGRESS_CASE(kRelay, "robustness/jsontestsuite-update", "robustness", kRobustness, kMust,
             ({"MBX-GEN-09", "MBX-UPDATE-04"}),
             "every JSONTestSuite n_* text as an Update body gets 400 (or 413) and changes nothing") {
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  ctx.control_update(box);
  run_jsontestsuite(
      ctx, [&](const std::string& bytes) { return json_request(ctx, "PUT", box.path, box.initiator, bytes); },
      {400, 413}, "UpdateMailbox");
  exchange::reads_payload(ctx, box, box.initiator, box.created["payload"], "READ(I) after the refused updates");
  checks::check_alive(ctx, "the JSONTestSuite updates");
}

TIGRESS_CASE(kRelay, "robustness/jsontestsuite-read", "robustness", kRobustness, kMust, ({"MBX-READ-10", "MBX-GEN-09"}),
             "every JSONTestSuite n_* text as a Read body is ignored (200) or refused (400/413/415), never 5xx") {
  // AMB-07 lets a relay ignore a Read body or refuse a malformed one. The initiator reads, so
  // nothing binds; a fresh recipient can still bind afterwards.
  auto box = ctx.create_mailbox();
  run_jsontestsuite(
      ctx, [&](const std::string& bytes) { return json_request(ctx, "POST", box.path, box.initiator, bytes); },
      {200, 400, 413, 415}, "ReadSecureContent");
  ctx.check_status(ctx.read(box, ctx.uuid()), {200}, "READ(R1) afterwards");
  checks::check_alive(ctx, "the JSONTestSuite reads");
}

TIGRESS_CASE(
    kRelay, "robustness/oversized-bodies", "robustness", kRobustness, kMust, ({"MBX-GEN-09", "TM-01"}),
    "1 MiB and 2 MiB bodies are refused with 413 (or 400) or stored, never a 5xx; a refused update changes nothing") {
  // AMB-48: 413 [S], 400 [L]; a relay whose limit is higher may accept them (TM-01 only asks
  // for some limit, see robustness/size-limit). The controls: the same Create and Update at
  // their usual size.
  ctx.control_create();
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  ctx.control_update(box);
  for (std::size_t mib : {1, 2}) {
    auto body = ctx.create_body();
    body["payload"]["data"] = std::string(mib << 20, 'A');
    auto created = ctx.try_send(json_request(ctx, "POST", ctx.collection_path(), ctx.uuid(), body.dump()));
    check_not_server_error(ctx, created, "CreateMailbox of " + std::to_string(mib) + " MiB");
    if (created && ctx.check_status(*created, {413, 400, 200}, "CreateMailbox of " + std::to_string(mib) + " MiB")) {
      ctx.reading("CreateMailbox of " + std::to_string(mib) + " MiB answered " + std::to_string(created->status) +
                  " (AMB-48)");
    }
    auto title = ctx.create_body();
    title["displayInformation"]["title"] = std::string(mib << 20, 't');
    auto titled = ctx.try_send(json_request(ctx, "POST", ctx.collection_path(), ctx.uuid(), title.dump()));
    check_not_server_error(ctx, titled, "CreateMailbox with a title of " + std::to_string(mib) + " MiB");
    const nlohmann::json update = {{"payload", {{"type", "AEAD_AES_128_GCM"}, {"data", std::string(mib << 20, 'B')}}}};
    auto updated = ctx.try_send(json_request(ctx, "PUT", box.path, box.initiator, update.dump()));
    check_not_server_error(ctx, updated, "UpdateMailbox of " + std::to_string(mib) + " MiB");
    if (updated && updated->status != 200) {
      if (ctx.check_status(*updated, ctx.accepted_statuses("AMB-48"),
                           "refused UpdateMailbox of " + std::to_string(mib) + " MiB")) {
        ctx.reading("UpdateMailbox of " + std::to_string(mib) + " MiB answered " + std::to_string(updated->status) +
                    " (AMB-48)");
      }
      auto json = ctx.json_body(ctx.read(box, box.initiator), "READ(I)");
      ctx.check(
          json.is_object() && json.contains("payload") && checks::same_json(json["payload"], box.created["payload"]),
          "a refused oversized update changed the stored payload");
    }
  }
  checks::check_alive(ctx, "oversized bodies");
}

TIGRESS_CASE(kRelay, "robustness/size-limit", "robustness", kRobustness, kAdvisory, ({"TM-01"}),
             "a 4 KiB payload is accepted and a 2 MiB one refused with 413 (or 400)") {
  ctx.control_create();
  auto small = ctx.create_body();
  small["payload"] = ctx.payload(4096);
  ctx.check_status(ctx.create(ctx.uuid(), small), {200}, "CreateMailbox with a 4 KiB payload");
  auto large = ctx.create_body();
  large["payload"]["data"] = std::string(2 << 20, 'A');
  auto refused = ctx.try_send(json_request(ctx, "POST", ctx.collection_path(), ctx.uuid(), large.dump()));
  if (!refused) return ctx.note("2 MiB create: connection closed without an answer");
  if (ctx.check_status(*refused, ctx.accepted_statuses("AMB-48"),
                       "CreateMailbox of 2 MiB (TM-01 wants a size limit)")) {
    ctx.reading("CreateMailbox of 2 MiB answered " + std::to_string(refused->status) + " (AMB-48)");
  }
}

TIGRESS_CASE(kRelay, "robustness/invalid-utf8", "robustness", kRobustness, kMust, ({"MBX-GEN-09", "MBX-GEN-05"}),
             "strings with invalid UTF-8 bytes are refused with 400") {
  // RFC 8259 section 8.1: JSON text is UTF-8; these bodies are not JSON texts (AMB-37).
  const std::pair<const char*, std::string> sequences[] = {
      {"lone 0xFF", "\xff"},     {"bad continuation", "\xc3\x28"},     {"overlong '/'", "\xc0\xaf"},
      {"truncated", "\xe2\x82"}, {"UTF-16 surrogate", "\xed\xa0\x80"}, {"above U+10FFFF", "\xf4\x90\x80\x80"}};
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  ctx.control_create();
  ctx.control_update(box);
  for (const auto& [name, bytes] : sequences) {
    for (const char* pointer : {"/displayInformation/title", "/displayInformation/description", "/payload/data"}) {
      ctx.check_status(
          ctx.send(json_request(ctx, "POST", ctx.collection_path(), ctx.uuid(), body_with_bytes(ctx, pointer, bytes))),
          {400}, std::string("CreateMailbox, ") + name + " in " + pointer);
    }
    std::string update = nlohmann::json{{"payload", {{"type", "AEAD_AES_128_GCM"}, {"data", "x@@y"}}}}.dump();
    update.replace(update.find("@@"), 2, bytes);
    ctx.check_status(ctx.send(json_request(ctx, "PUT", box.path, box.initiator, update)), {400},
                     std::string("UpdateMailbox, ") + name + " in payload.data");
  }
  checks::check_alive(ctx, "invalid UTF-8 bodies");
}

TIGRESS_CASE(kRelay, "robustness/unknown-methods", "robustness", kRobustness, kMust, ({"MBX-GEN-09", "MBX-CREATE-13"}),
             "OPTIONS, TRACE, BREW and PROPFIND never get a 5xx (but 501), BREW never a 2xx") {
  // RFC 9110 9.1: an unrecognised method SHOULD get 501; 405 (or 400/404) is as good. The
  // controls: the draft's own methods on both targets (a Create, the initiator's Read).
  ctx.control_create();
  auto box = ctx.create_mailbox();
  ctx.control(ctx.read_request(box, box.initiator), "READ(I), a POST on the mailbox");
  for (const std::string& target : {ctx.collection_path(), box.path}) {
    for (const char* method : {"OPTIONS", "TRACE", "BREW", "PROPFIND"}) {
      const std::string what = std::string(method) + " " + (target == box.path ? "on a mailbox" : "on /v1/m");
      auto response = ctx.try_send(
          checks::request(method, target, {{"Mailbox-Device-Claim", ctx.uuid()}, {"Mailbox-Request-ID", ctx.uuid()}}));
      check_not_server_error(ctx, response, what, {501});
      if (response && (std::string(method) == "BREW" || std::string(method) == "PROPFIND")) {
        ctx.check(!checks::is_success(response->status), what + " answered " + std::to_string(response->status));
      }
    }
  }
  exchange::reads_payload(ctx, box, box.initiator, box.created["payload"], "READ(I) after the unknown methods");
  ctx.check_status(ctx.read(box, ctx.uuid()), {200}, "READ(R1): no unknown method bound anybody");
  checks::check_alive(ctx, "unknown methods");
}

TIGRESS_CASE(kRelay, "robustness/unknown-http-versions", "robustness", kRobustness, kMust, ({"MBX-GEN-09"}),
             "HTTP/2.0, HTTP/3.0 and HTTP/0.9 request lines over TLS get 505/4xx or a close, never content") {
  // RFC 9110 2.5: a higher minor version (HTTP/1.2) is processed as HTTP/1.1, so any non-5xx
  // answer (or 505) is fine there; another major version cannot be served as one. The control:
  // the same GET as HTTP/1.1.
  auto box = ctx.create_mailbox();
  ctx.control(checks::request("GET", box.path), "GET of the mailbox's preview as HTTP/1.1");
  auto line = [&](const std::string& version) {
    return [&box, version](const harness::Target& instance) {
      return "GET " + box.path + " " + version + "\r\nHost: " + host_header(instance) + "\r\nConnection: close\r\n\r\n";
    };
  };
  auto minor = ctx.try_send_raw(line("HTTP/1.2"), "HTTP/1.2");
  check_not_server_error(ctx, minor, "HTTP/1.2 request", {505});
  for (const char* version : {"HTTP/2.0", "HTTP/3.0", "HTTP/2"}) {
    auto response = ctx.try_send_raw(line(version), version);
    check_not_server_error(ctx, response, std::string(version) + " request line", {505});
    if (response) {
      ctx.check(!checks::is_success(response->status),
                std::string(version) + " request line served with " + std::to_string(response->status));
    }
  }
  auto simple = ctx.try_send_raw("GET " + box.path + "\r\n", "HTTP/0.9");
  check_not_server_error(ctx, simple, "HTTP/0.9 request", {505});
  if (simple)
    ctx.check(!checks::is_success(simple->status), "HTTP/0.9 request answered " + std::to_string(simple->status));
  checks::check_alive(ctx, "unknown HTTP versions");
}

TIGRESS_CASE(kRelay, "robustness/unknown-paths", "robustness", kRobustness, kMust, ({"MBX-ID-05", "MBX-GEN-09"}),
             "traversal, encoded dots, extra segments and a 10 KB path all get a 4xx") {
  // The controls: GET and POST on the mailbox's own path (a preview, the initiator's Read).
  auto box = ctx.create_mailbox();
  ctx.control(checks::request("GET", box.path), "GET of the mailbox's preview");
  ctx.control(ctx.read_request(box, box.initiator), "POST on the mailbox: READ(I)");
  const std::string m = ctx.collection_path();
  const std::string targets[] = {m + "/../m",
                                 m + "/%2e%2e",
                                 m + "/%2e%2e/m",
                                 m + "/%2E%2E%2F" + box.id,
                                 box.path + "/extra",
                                 box.path + "%2f..%2f",
                                 m.substr(0, m.size() - 1) + "x/" + box.id,
                                 m + "/" + std::string(10 * 1024, 'a'),
                                 m + "/" + box.id + "/" + box.id};
  for (const auto& target : targets) {
    const std::string shown =
        target.size() > 80 ? target.substr(0, 40) + "...(" + std::to_string(target.size()) + " bytes)" : target;
    for (const char* method : {"GET", "POST"}) {
      auto response = ctx.try_send(
          checks::request(method, target, {{"Mailbox-Device-Claim", ctx.uuid()}, {"Mailbox-Request-ID", ctx.uuid()}}));
      if (!response) {
        ctx.note(std::string(method) + " " + shown + ": no HTTP answer");
        continue;
      }
      ctx.check(
          response->status >= 400 && response->status <= 499,
          std::string(method) + " " + shown + " answered " + std::to_string(response->status) + ", expected a 4xx");
    }
  }
  ctx.check_status(ctx.read(box, ctx.uuid()), {200}, "READ(R1) afterwards: no odd path bound anybody");
  checks::check_alive(ctx, "unknown paths");
}

TIGRESS_CASE(kRelay, "robustness/huge-headers", "robustness", kRobustness, kMust, ({"MBX-GEN-09"}),
             "a 100 KB header and 2000 header fields get 4xx (431), a close, or service; never 5xx") {
  auto box = ctx.create_mailbox();
  auto big = ctx.try_send(checks::request("GET", box.path, {{"X-Padding", std::string(100 * 1024, 'p')}}));
  check_not_server_error(ctx, big, "GET with a 100 KB header");
  harness::HeaderList many;
  for (int i = 0; i < 2000; ++i) many.emplace_back("X-Field-" + std::to_string(i), "v");
  check_not_server_error(ctx, ctx.try_send(checks::request("GET", box.path, many)), "GET with 2000 header fields");
  auto claim = ctx.try_send(checks::request(
      "POST", box.path, {{"Mailbox-Device-Claim", std::string(100 * 1024, 'c')}, {"Mailbox-Request-ID", ctx.uuid()}}));
  check_not_server_error(ctx, claim, "READ with a 100 KB claim");
  checks::check_alive(ctx, "huge headers");
}

TIGRESS_CASE(kRelay, "robustness/malformed-header-lines", "robustness", kRobustness, kMust, ({"MBX-GEN-09"}),
             "broken header lines and framing get 400 or a close, never a 5xx") {
  const std::string body = ctx.create_body().dump(), m = ctx.collection_path();
  const std::string headers = "Mailbox-Device-Claim: " + ctx.uuid() + "\r\nMailbox-Request-ID: " + ctx.uuid() +
                              "\r\nContent-Type: application/json\r\nConnection: close\r\n";
  // Each instance of a deployment gets its own Host line.
  const auto requests_for = [&](const harness::Target& instance) {
    const std::string host = "Host: " + host_header(instance) + "\r\n";
    return std::vector<std::pair<std::string, std::string>>{
        {"header line without colon", "GET " + m + " HTTP/1.1\r\n" + host + "NoColonHere\r\nConnection: close\r\n\r\n"},
        {"space before colon",
         "GET " + m + " HTTP/1.1\r\n" + host + "Mailbox-Device-Claim : x\r\nConnection: close\r\n\r\n"},
        {"obsolete line folding",
         "GET " + m + " HTTP/1.1\r\n" + host + "X-A: a\r\n folded\r\nConnection: close\r\n\r\n"},
        {"NUL in a header value",
         "GET " + m + " HTTP/1.1\r\n" + host + "X-A: a" + std::string(1, '\0') + "b\r\nConnection: close\r\n\r\n"},
        {"bare LF line ends", "GET " + m + " HTTP/1.1\n" + host.substr(0, host.size() - 2) + "\nConnection: close\n\n"},
        {"non-numeric Content-Length", "POST " + m + " HTTP/1.1\r\n" + host + headers + "Content-Length: 1x\r\n\r\n{}"},
        {"two Content-Length values",
         "POST " + m + " HTTP/1.1\r\n" + host + headers + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}"},
        {"invalid chunk size",
         "POST " + m + " HTTP/1.1\r\n" + host + headers + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"},
        {"chunked and Content-Length",
         "POST " + m + " HTTP/1.1\r\n" + host + headers +
             "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n2\r\n{}\r\n0\r\n\r\n"},
        {"unknown transfer coding", "POST " + m + " HTTP/1.1\r\n" + host + headers +
                                        "Transfer-Encoding: bogus\r\nContent-Length: " + std::to_string(body.size()) +
                                        "\r\n\r\n" + body},
        {"garbage request line", "\x16\x03\x01 not http at all\r\n\r\n"}};
  };
  const auto names = requests_for(ctx.options().target);
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto bytes_for = [&requests_for, i](const harness::Target& instance) {
      return requests_for(instance)[i].second;
    };
    check_not_server_error(ctx, ctx.try_send_raw(bytes_for, names[i].first), names[i].first, {501});
  }
  checks::check_alive(ctx, "malformed header lines");
}

TIGRESS_CASE(kRelay, "robustness/deep-nesting", "robustness", kRobustness, kMust, ({"MBX-GEN-09", "MBX-CREATE-14"}),
             "20 000 nested arrays or 10 000 nested objects are refused or ignored, and the relay survives") {
  // Recursive parsers overflow their stack on such input. As payload the nesting is a wrong type
  // (400); as an unknown member it may be ignored (200, AMB-59) or refused (400/413).
  constexpr int kArrays = 20000, kObjects = 10000;  // both stay below a 64 KiB body limit
  const std::string arrays = std::string(kArrays, '[') + std::string(kArrays, ']');
  std::string objects;
  for (int i = 0; i < kObjects; ++i) objects += "{\"a\":";
  objects += "0" + std::string(kObjects, '}');
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  ctx.control_create();
  ctx.control_update(box);
  std::string as_payload = ctx.create_body().dump();
  as_payload.replace(as_payload.find("\"payload\":") + 10, 0, arrays + ",\"x-payload\":");
  auto payload_response = ctx.try_send(json_request(ctx, "POST", ctx.collection_path(), ctx.uuid(), as_payload));
  check_not_server_error(ctx, payload_response, "CreateMailbox with nested arrays as payload");
  if (payload_response) ctx.check_status(*payload_response, {400, 413}, "CreateMailbox with nested arrays as payload");
  for (const auto& [what, nested] :
       {std::pair<std::string, const std::string*>{"arrays", &arrays}, {"objects", &objects}}) {
    std::string extra = ctx.create_body().dump();
    extra.insert(1, "\"x-ext\":" + *nested + ",");
    auto created = ctx.try_send(json_request(ctx, "POST", ctx.collection_path(), ctx.uuid(), extra));
    check_not_server_error(ctx, created, "CreateMailbox with nested " + what + " in an unknown member");
    if (created) ctx.check_status(*created, {200, 400, 413}, "CreateMailbox with nested " + what);
    auto update = ctx.try_send(json_request(ctx, "PUT", box.path, box.initiator, "{\"payload\":" + *nested + "}"));
    check_not_server_error(ctx, update, "UpdateMailbox with nested " + what);
    if (update) ctx.check_status(*update, {400, 413}, "UpdateMailbox with nested " + what + " as payload");
    auto read = ctx.try_send(json_request(ctx, "POST", box.path, box.initiator, *nested));
    check_not_server_error(ctx, read, "READ with a nested " + what + " body");
  }
  checks::check_alive(ctx, "deeply nested JSON");
}

TIGRESS_CASE(kRelay, "robustness/json-edge-cases", "robustness", kRobustness, kMust, ({"MBX-GEN-09", "MBX-CREATE-14"}),
             "duplicate members, a BOM, huge numbers and lone surrogates get 200 or 400, never 5xx") {
  // RFC 8259 leaves these to the parser (duplicate names, BOM "MAY ignore", number range, 8.2
  // unpaired surrogates): accepting or refusing both conform; failing does not.
  ctx.control_create();
  const std::string valid = ctx.create_body().dump();
  std::string duplicate = valid;
  duplicate.insert(duplicate.size() - 1, ",\"payload\":\"not an object\"");
  std::string huge_number = valid;
  huge_number.insert(1, "\"x-ext\":1e999999,");
  std::string long_number = valid;
  long_number.insert(1, "\"x-ext\":" + std::string(5000, '9') + ",");
  const std::pair<const char*, std::string> bodies[] = {
      {"duplicate member", duplicate},
      {"UTF-8 BOM", "\xef\xbb\xbf" + valid},
      {"number 1e999999", huge_number},
      {"5000-digit number", long_number},
      {"lone surrogate escape", body_with_bytes(ctx, "/displayInformation/title", "\\ud800")},
      {"escaped NUL in title", body_with_bytes(ctx, "/displayInformation/title", "\\u0000")},
      {"trailing whitespace", valid + " \r\n\t "}};
  for (const auto& [name, text] : bodies) {
    auto response = ctx.try_send(json_request(ctx, "POST", ctx.collection_path(), ctx.uuid(), text));
    check_not_server_error(ctx, response, std::string("CreateMailbox with ") + name);
    if (response) ctx.check_status(*response, {200, 400}, std::string("CreateMailbox with ") + name);
  }
  checks::check_alive(ctx, "JSON edge cases");
}

TIGRESS_CASE(kRelay, "robustness/chunked-create", "robustness", kRobustness, kMust, ({"MBX-CREATE-01", "MBX-GEN-09"}),
             "a Create body sent with chunked transfer coding is processed (or 411)") {
  // RFC 9112 7.1: a recipient MUST parse chunked; 6.3 lets a server insist on Content-Length (411).
  const std::string body = ctx.create_body().dump();
  std::string chunked;
  for (std::size_t at = 0; at < body.size(); at += 100) {
    const std::string piece = body.substr(at, 100);
    std::ostringstream size;
    size << std::hex << piece.size();
    chunked += size.str() + "\r\n" + piece + "\r\n";
  }
  chunked += "0\r\n\r\n";
  auto request = json_request(ctx, "POST", ctx.collection_path(), ctx.uuid(), chunked);
  request.headers.emplace_back("Transfer-Encoding", "chunked");
  request.add_content_length = false;
  auto response = ctx.send(request);
  ctx.check_status(response, {200, 411}, "chunked CreateMailbox");
  if (response.status == 200) {
    auto json = ctx.json_body(response, "chunked CreateMailbox");
    ctx.check(json.is_object() && json.contains("urlLink"), "chunked CreateMailbox: no urlLink");
  }
}

}  // namespace tigress::conformance
