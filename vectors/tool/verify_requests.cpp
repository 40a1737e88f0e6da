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
    auto read = relay.handle(make_request("POST", "/v1/m/" + id, std::string(kRecipientClaim), nullptr, nullptr, ""), clock, store);
    if (read.status != 200) return make_error("setup Read answered " + std::to_string(read.status));
  }
  return id;
}

}  // namespace

void verify_request_bodies(const Json& document, FileReport& report) {
  for_each_test(document, report, [](const Json& group, const Json& test) -> std::string {
    if (group.at("relayTime") != std::string(kRelayTimeText)) return "relayTime differs from the verifier's clock";
    relay::RelayConfig config;
    config.public_base_url = "https://relay.test";
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
    if (std::find(allowed.begin(), allowed.end(), response.status) == allowed.end()) {
      return "the reference relay answered " + std::to_string(response.status) + " (expected " + Json(allowed).dump() + ")";
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

void verify_transcript(const Json& document, FileReport& report) {
  // Every ${name} must be fresh, captured earlier, or ${time+N}/${time-N}.
  static const std::regex kPlaceholder(R"(\$\{([^}]*)\})");
  static const std::regex kTime(R"(time[+-][0-9]{1,6})");
  std::set<std::string> known;
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
    const std::string text = step.at("request").dump() + step.at("expect").dump();
    for (std::sregex_iterator it(text.begin(), text.end(), kPlaceholder), end; it != end; ++it) {
      const std::string name = (*it)[1];
      if (!known.count(name) && !std::regex_match(name, kTime)) report.failures.push_back(where + ": unknown placeholder ${" + name + "}");
    }
    const auto& statuses = step.at("expect").at("status");
    if (!statuses.is_array() || statuses.empty()) report.failures.push_back(where + ": expect.status must list statuses");
    if (step.contains("capture")) {
      for (const auto& [name, spec] : step["capture"].items()) {
        (void)spec;
        known.insert(name);
      }
    }
  }
  ++report.by_result["steps"];
  report.by_result["steps"] = report.tests;
}

}  // namespace tigress::vectors
