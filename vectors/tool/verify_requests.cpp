// verify: the reference relay core (Relay::handle with a manual clock and a fresh store per
// test) against the request vectors, and the form of the transcripts.
#include <algorithm>
#include <regex>
#include <set>

#include "reference/codec/bodies.hpp"
#include "reference/relay/clock.hpp"
#include "reference/relay/memory_store.hpp"
#include "reference/relay/relay.hpp"
#include "vectors/tool/body_fixtures.hpp"
#include "vectors/tool/catalogue_statuses.hpp"
#include "vectors/tool/verifiers.hpp"

namespace tigress::vectors {
namespace {

relay::Request make_request(const std::string& method, const std::string& path, const Json& claim,
                            const Json& request_id, const Json& content_type, const std::string& body) {
  relay::Request request;
  request.method = method;
  request.path = path;
  if (claim.is_string()) request.headers.emplace("Mailbox-Device-Claim", claim.get<std::string>());
  if (request_id.is_string()) request.headers.emplace("Mailbox-Request-ID", request_id.get<std::string>());
  if (content_type.is_string()) request.headers.emplace("Content-Type", content_type.get<std::string>());
  request.body = body;
  return request;
}

// Runs the group's setup on a fresh relay and returns the set-up mailbox ID ("" without setup).
Result<std::string> run_setup(const relay::Relay& relay, relay::Clock& clock, relay::Store& store, const Json& group) {
  const auto& setup = group.at("setup");
  if (setup.empty()) return std::string();
  auto created = relay.handle(make_request("POST", "/v1/m", std::string(kInitiatorClaim), std::string(kSetupRequestId),
                                           "application/json", std::string(kSetupCreateBody)),
                              clock, store);
  if (created.status != 200) return make_error("setup Create answered " + std::to_string(created.status));
  auto parsed = codec::parse_create_response(created.body);
  if (!parsed) return make_error("setup Create body: " + parsed.error().message());
  const std::string id = parsed->url_link.substr(parsed->url_link.rfind('/') + 1);
  if (setup.size() > 1) {
    auto read = relay.handle(make_request("POST", "/v1/m/" + id, std::string(kRecipientClaim), nullptr, nullptr, ""),
                             clock, store);
    if (read.status != 200) return make_error("setup Read answered " + std::to_string(read.status));
  }
  return id;
}

// "" when every status of every reading the vector names is among `allowed`: the vectors may
// not refuse an outcome the catalogue (and so the conformance cases) accepts.
std::string check_readings(const conformance::Catalogue* catalogue, const Json& readings,
                           const std::vector<int>& allowed) {
  if (catalogue == nullptr) return "";
  for (const auto& reading : readings) {
    auto statuses = accepted_statuses(*catalogue, {}, {reading.get<std::string>()});
    if (!statuses) return statuses.error().message();
    for (int status : *statuses) {
      if (std::find(allowed.begin(), allowed.end(), status) == allowed.end()) {
        return "the catalogue's reading " + reading.get<std::string>() + " allows " + std::to_string(status) +
               ", which the vector does not list";
      }
    }
  }
  return "";
}

}  // namespace

const conformance::Catalogue* verification_catalogue(FileReport& report) {
  static const Result<conformance::Catalogue> catalogue = load_vectors_catalogue();
  if (!catalogue) {
    report.failures.push_back(catalogue.error().message());
    return nullptr;
  }
  return &*catalogue;
}

void verify_request_bodies(const Json& document, FileReport& report) {
  const conformance::Catalogue* catalogue = verification_catalogue(report);
  for_each_test(document, report, [catalogue](const Json& group, const Json& test) -> std::string {
    if (group.at("relayTime") != std::string(kRelayTimeText)) return "relayTime differs from the verifier's clock";
    relay::RelayConfig config;
    config.public_base_url = "https://relay.test";
    if (group.contains("maxBodyBytes")) config.max_body_bytes = group["maxBodyBytes"].get<std::size_t>();
    const relay::Relay relay(config);
    relay::ManualClock clock(kRelayTime);
    relay::MemoryStore store;
    auto id = run_setup(relay, clock, store, group);
    if (!id) return id.error().message();
    std::string path = group.at("path");
    const std::string mailbox = test.contains("mailboxId") ? test["mailboxId"].get<std::string>() : *id;
    if (auto at = path.find("{mailboxId}"); at != std::string::npos) path.replace(at, 11, mailbox);
    auto response = relay.handle(make_request(group.at("method"), path, test.at("deviceClaim"), test.at("requestId"),
                                              test.at("contentType"), test.at("body")),
                                 clock, store);
    const auto allowed = test.at("expectedStatus").get<std::vector<int>>();
    if (std::string problem = check_readings(catalogue, test.at("readings"), allowed); !problem.empty()) return problem;
    if (std::find(allowed.begin(), allowed.end(), response.status) == allowed.end()) {
      return "the reference relay answered " + std::to_string(response.status) + " (expected " + Json(allowed).dump() +
             ")";
    }
    // A request the vectors call valid must also pass the reference codec's own parser.
    if (test.at("result") == "valid") {
      const std::string endpoint = group.at("endpoint");
      const std::string body = test.at("body");
      if (endpoint == "CreateMailbox" && !codec::parse_create_request(body)) return "parse_create_request refused it";
      if (endpoint == "UpdateMailbox" && !codec::parse_update_request(body)) return "parse_update_request refused it";
      if (endpoint == "ReadSecureContent" && !codec::parse_read_request(body)) return "parse_read_request refused it";
    }
    return "";
  });
}

// An instant ({mark, plusSeconds, plusExpiryGrace}) names a mark an earlier step set; "" or why not.
std::string check_instant(const Json& instant, const std::set<std::string>& marks) {
  if (!instant.is_object() || !instant.contains("mark") || !instant["mark"].is_string())
    return "an instant needs a mark";
  if (!marks.count(instant["mark"].get<std::string>()))
    return "mark " + instant["mark"].get<std::string>() + " is not set by an earlier step";
  const Json plus = instant.value("plusSeconds", Json());
  if (!plus.is_number_integer() || plus.get<int>() < 0 || plus.get<int>() > 10) return "plusSeconds must be 0..10";
  if (instant.contains("plusExpiryGrace") && !instant["plusExpiryGrace"].is_boolean())
    return "plusExpiryGrace must be a boolean";
  return "";
}

void verify_transcript(const Json& document, FileReport& report) {
  // Every ${name} must be fresh, captured earlier, or ${time+N}/${time-N}.
  static const std::regex kPlaceholder(R"(\$\{([^}]*)\})");
  static const std::regex kTime(R"(time[+-][0-9]{1,6})");
  const conformance::Catalogue* catalogue = verification_catalogue(report);
  std::set<std::string> listed, exercised;
  for (const auto& id : document.at("requirements")) listed.insert(id.get<std::string>());
  std::set<std::string> known, marks;
  for (const auto& [name, kind] : document.at("fresh").items()) {
    if (kind != "uuid") report.failures.push_back("fresh " + name + " is not of kind uuid");
    known.insert(name);
  }
  int index = 0;
  for (const auto& step : document.at("steps")) {
    ++index;
    const std::string where = "step " + std::to_string(index) + " (" + step.value("comment", "") + ")";
    ++report.tests;
    if (step.contains("wait")) {
      if (!step["wait"].is_number_integer() || step["wait"].get<int>() < 0 || step["wait"].get<int>() > 10) {
        report.failures.push_back(where + ": wait must be 0..10 seconds");
      }
      continue;
    }
    if (step.contains("waitUntil")) {
      if (std::string problem = check_instant(step["waitUntil"], marks); !problem.empty())
        report.failures.push_back(where + ": waitUntil: " + problem);
      continue;
    }
    const std::string text = step.at("request").dump() + step.at("expect").dump();
    for (std::sregex_iterator it(text.begin(), text.end(), kPlaceholder), end; it != end; ++it) {
      const std::string name = (*it)[1];
      if (!known.count(name) && !std::regex_match(name, kTime))
        report.failures.push_back(where + ": unknown placeholder ${" + name + "}");
    }
    const auto& expect = step.at("expect");
    const auto& statuses = expect.at("status");
    if (!statuses.is_array() || statuses.empty()) {
      report.failures.push_back(where + ": expect.status must list statuses");
      continue;
    }
    const auto allowed = statuses.get<std::vector<int>>();
    if (std::string problem = check_readings(catalogue, expect.value("readings", Json::array()), allowed);
        !problem.empty()) {
      report.failures.push_back(where + ": " + problem);
    }
    if (expect.contains("beforeInstant")) {
      // Statuses a request sent before the instant may also get (an expired mailbox still served
      // inside the expiry grace): from the readings too, and never fewer than afterwards.
      const Json& before = expect["beforeInstant"];
      if (std::string problem = check_instant(before.value("instant", Json()), marks); !problem.empty()) {
        report.failures.push_back(where + ": beforeInstant: " + problem);
      }
      const auto earlier = before.value("status", Json::array()).get<std::vector<int>>();
      if (std::string problem = check_readings(catalogue, before.value("readings", Json::array()), earlier);
          !problem.empty()) {
        report.failures.push_back(where + ": beforeInstant: " + problem);
      }
      for (int status : allowed) {
        if (std::find(earlier.begin(), earlier.end(), status) == earlier.end()) {
          report.failures.push_back(where + ": beforeInstant leaves out " + std::to_string(status) +
                                    ", which expect.status allows afterwards");
        }
      }
    }
    for (const auto& status : expect.value("headersFor", Json::array())) {
      if (std::find(allowed.begin(), allowed.end(), status.get<int>()) == allowed.end()) {
        report.failures.push_back(where + ": headersFor names " + status.dump() +
                                  ", which expect.status does not allow");
      }
    }
    for (const auto& id : step.at("requirements")) {
      exercised.insert(id.get<std::string>());
      if (!listed.count(id.get<std::string>()))
        report.failures.push_back(where + ": names " + id.dump() + ", which the transcript does not list");
      if (catalogue != nullptr && catalogue->find(id.get<std::string>()) == nullptr) {
        report.failures.push_back(where + ": " + id.dump() + " is not in the catalogue");
      }
    }
    if (step.contains("marks")) {
      // A mark is a date-time the request itself sends, e.g. the expiration it asks for.
      const Json sent = step["request"].value("json", Json());
      for (const auto& [name, spec] : step["marks"].items()) {
        const std::string pointer = spec.value("pointer", "");
        if (pointer.empty() || pointer[0] != '/' || !sent.contains(Json::json_pointer(pointer)) ||
            !sent[Json::json_pointer(pointer)].is_string()) {
          report.failures.push_back(where + ": mark " + name + " points at no string of the request's json");
        }
        marks.insert(name);
      }
    }
    if (step.contains("capture")) {
      for (const auto& [name, spec] : step["capture"].items()) {
        (void)spec;
        known.insert(name);
      }
    }
  }
  // Every requirement a transcript claims to cover is exercised by a step that names it.
  for (const auto& id : listed) {
    if (!exercised.count(id)) report.failures.push_back("requirement " + id + " is listed but no step names it");
  }
  ++report.by_result["steps"];
  report.by_result["steps"] = report.tests;
}

}  // namespace tigress::vectors
