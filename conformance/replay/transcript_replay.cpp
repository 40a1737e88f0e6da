#include "conformance/replay/transcript_replay.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <thread>

#include "conformance/replay/placeholders.hpp"
#include "harness/redaction.hpp"
#include "reference/codec/json_in_place.hpp"
#include "reference/codec/timestamp.hpp"
#include "reference/codec/uuid.hpp"

namespace tigress::conformance {
namespace {

using nlohmann::json;

constexpr std::size_t kShown = 300;  // bytes of target output quoted in a mismatch
constexpr int kMaxWait = 10;         // seconds: a wait, and an instant's plusSeconds

using Clock = std::chrono::system_clock;

std::string json_type(const json& value) {
  if (value.is_string()) return "string";
  if (value.is_boolean()) return "boolean";
  if (value.is_object()) return "object";
  if (value.is_array()) return "array";
  if (value.is_number()) return "number";
  return "null";
}

// The path of an absolute URL ("https://host[:port]/p?q" -> "/p"), or "" when it has none.
std::string url_path(const std::string& url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string::npos) return "";
  const std::size_t slash = url.find('/', scheme + 3);
  if (slash == std::string::npos) return "";
  return url.substr(slash, url.find_first_of("?#", slash) - slash);
}

class Replay {
 public:
  Replay(const json& transcript, const harness::WireClient& client, std::chrono::seconds expiry_grace)
      : t_(transcript), client_(client), grace_(expiry_grace) {}

  // "" when every step matched, else the first mismatch (not yet redacted).
  std::string run(int& steps_run) {
    for (const auto& [name, kind] : t_.at("fresh").items()) {
      if (kind != "uuid") return "fresh " + name + ": only kind uuid exists";
      auto id = codec::generate_uuid_v4();
      if (!id) return "cannot draw a fresh UUID: " + id.error().message();
      bindings_[name] = id->to_string();
      redactor_.add(id->to_string(), name);
    }
    int index = 0;
    for (const auto& step : t_.at("steps")) {
      ++index;
      std::string problem = run_step(step);
      if (!problem.empty()) return "step " + std::to_string(index) + " (" + step.value("comment", "") + "): " + problem;
      ++steps_run;
    }
    return "";
  }

  const harness::Redactor& redactor() const { return redactor_; }

 private:
  std::string run_step(const json& step) {
    if (step.contains("wait")) {
      std::this_thread::sleep_for(std::chrono::seconds(std::clamp(step["wait"].get<int>(), 0, kMaxWait)));
      return "";
    }
    if (step.contains("waitUntil")) {
      auto until = instant(step["waitUntil"]);
      if (!until) return "transcript error: " + until.error().message();
      // A mark is an instant a request named, so at most kMaxWait ahead, plus plusSeconds.
      if (*until - Clock::now() > std::chrono::seconds(2 * kMaxWait) + grace_) {
        return "transcript error: waitUntil is more than " + std::to_string(2 * kMaxWait) +
               " s plus the expiry grace ahead";
      }
      std::this_thread::sleep_until(*until);
      return "";
    }
    auto request = build(step.at("request"));
    if (!request) return "transcript error: " + request.error().message();
    if (step.contains("marks")) {
      if (std::string problem = mark(step["marks"], *request); !problem.empty()) return "transcript error: " + problem;
    }
    const Clock::time_point sent = Clock::now();
    auto response = client_.send(*request);
    if (!response) return "no HTTP answer: " + response.error().message();
    const json& expect = step.at("expect");
    auto allowed = expect.at("status").get<std::vector<int>>();
    std::string window;  // why beforeInstant's statuses were or were not allowed, for the mismatch
    if (expect.contains("beforeInstant")) {
      const json& before = expect["beforeInstant"];
      auto until = instant(before.at("instant"));
      if (!until) return "transcript error: " + until.error().message();
      const double margin = std::chrono::duration<double>(*until - sent).count();
      if (sent < *until) {
        for (int status : before.at("status").get<std::vector<int>>()) allowed.push_back(status);
        window = " (sent " + seconds_text(margin) + " s before its beforeInstant instant)";
      } else {
        window = " (sent " + seconds_text(-margin) + " s after its beforeInstant instant, " +
                 instant_text(before["instant"]) + ")";
      }
    }
    if (std::find(allowed.begin(), allowed.end(), response->status) == allowed.end()) {
      std::sort(allowed.begin(), allowed.end());
      allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
      return "status " + std::to_string(response->status) + ", expected one of " + json(allowed).dump() + window +
             "; body: " + harness::printable(response->body, kShown);
    }
    // Header checks apply to the statuses `headersFor` lists (every status when absent); the
    // generator states the Request-ID echo for 2xx answers, since AMB-05 lets error answers omit it.
    bool check_headers = expect.contains("headers");
    if (check_headers && expect.contains("headersFor")) {
      const auto statuses = expect["headersFor"].get<std::vector<int>>();
      check_headers = std::find(statuses.begin(), statuses.end(), response->status) != statuses.end();
    }
    if (check_headers) {
      for (const auto& [name, wanted] : expect["headers"].items()) {
        auto value = substitute(wanted.get<std::string>(), bindings_);
        if (!value) return "transcript error: " + value.error().message();
        auto got = response->header(name);
        if (!got || *got != *value) {
          return "header " + name + " is " + (got ? "\"" + harness::printable(*got, kShown) + "\"" : "absent") +
                 ", expected \"" + *value + "\"";
        }
      }
    }
    // Body checks and captures apply to 2xx answers only: the catalogue lets error bodies vary.
    if (response->status < 200 || response->status > 299) return "";
    const bool needs_body = expect.contains("body") || step.contains("capture");
    if (!needs_body) return "";
    const json body = json::parse(response->body, nullptr, false);
    if (body.is_discarded()) return "2xx body is not JSON: " + harness::printable(response->body, kShown);
    if (expect.contains("body")) {
      for (const auto& c : expect["body"]) {
        if (std::string problem = check(body, c); !problem.empty()) return problem;
      }
    }
    if (!step.contains("capture")) return "";
    for (const auto& [name, spec] : step["capture"].items()) {
      const json::json_pointer pointer(spec.at("pointer").get<std::string>());
      if (!body.contains(pointer) || !body[pointer].is_string())
        return "cannot capture " + name + ": no string at " + pointer.to_string();
      std::string value = body[pointer].get<std::string>();
      if (spec.value("part", "whole") == "path") {
        value = url_path(value);
        const std::string& base = client_.target().base_path;
        if (!base.empty() && value.rfind(base, 0) == 0) value = value.substr(base.size());
        if (value.empty() || value[0] != '/')
          return "cannot capture " + name + ": no path in " +
                 harness::printable(body[pointer].get<std::string>(), kShown);
      }
      bindings_[name] = value;
    }
    return "";
  }

  std::string check(const json& body, const json& c) {
    const json::json_pointer pointer(c.at("pointer").get<std::string>());
    const bool present = body.contains(pointer);
    const std::string where = pointer.to_string();
    if (c.contains("type")) {
      if (!present) return where + " is absent, expected a " + c["type"].get<std::string>();
      if (json_type(body[pointer]) != c["type"])
        return where + " is a " + json_type(body[pointer]) + ", expected a " + c["type"].get<std::string>();
    }
    for (const char* op : {"equals", "equalsIfPresent"}) {
      if (!c.contains(op)) continue;
      auto wanted = substitute_json(c[op], bindings_);
      if (!wanted) return "transcript error: " + wanted.error().message();
      if (!present) {
        if (std::string(op) == "equals") return where + " is absent";
        continue;
      }
      if (body[pointer] != *wanted) {
        return where + " is " +
               harness::printable(codec::json_in_place::dump_within_bound(body[pointer], -1, ' ', true,
                                                                          json::error_handler_t::replace),
                                  kShown) +
               ", expected " + wanted->dump();
      }
    }
    return "";
  }

  // {mark, plusSeconds, plusExpiryGrace}: the mark's instant, plus the seconds, plus the expiry
  // grace when asked for (AMB-16: the relay may serve the mailbox until then).
  Result<Clock::time_point> instant(const json& spec) const {
    const std::string name = spec.at("mark").get<std::string>();
    const auto it = marks_.find(name);
    if (it == marks_.end()) return make_error("instant names mark " + name + ", which no earlier step set");
    const int plus = spec.at("plusSeconds").get<int>();
    if (plus < 0 || plus > kMaxWait) return make_error("plusSeconds must be 0.." + std::to_string(kMaxWait));
    Clock::time_point at{std::chrono::seconds(it->second + plus)};
    if (spec.value("plusExpiryGrace", false)) at += grace_;
    return at;
  }
  std::string instant_text(const json& spec) const {
    return spec.at("mark").get<std::string>() + " + " + std::to_string(spec.at("plusSeconds").get<int>()) + " s" +
           (spec.value("plusExpiryGrace", false) ? " + expiry grace " + std::to_string(grace_.count()) + " s" : "");
  }
  static std::string seconds_text(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", seconds);
    return text;
  }

  // Records each mark: the date-time at its pointer in the request body as sent.
  std::string mark(const json& marks, const harness::HttpRequest& request) {
    const json body = json::parse(request.body, nullptr, false);
    for (const auto& [name, spec] : marks.items()) {
      const json::json_pointer pointer(spec.at("pointer").get<std::string>());
      if (body.is_discarded() || !body.contains(pointer) || !body[pointer].is_string()) {
        return "mark " + name + ": no string at " + pointer.to_string() + " of the request body";
      }
      auto when = codec::parse_timestamp_strict(body[pointer].get<std::string>());
      if (!when) return "mark " + name + ": " + when.error().message();
      marks_[name] = *when;
    }
    return "";
  }

  Result<harness::HttpRequest> build(const json& r) {
    harness::HttpRequest request;
    request.method = r.at("method").get<std::string>();
    auto path = substitute(r.at("path").get<std::string>(), bindings_);
    if (!path) return path.error();
    request.target = client_.target().base_path + *path;
    if (r.contains("headers")) {
      for (const auto& [name, value] : r["headers"].items()) {
        auto text = substitute(value.get<std::string>(), bindings_);
        if (!text) return text.error();
        request.headers.emplace_back(name, *text);
      }
    }
    if (r.contains("json")) {
      auto body = substitute_json(r["json"], bindings_);
      if (!body) return body.error();
      request.body = body->dump();
    } else if (r.contains("body")) {
      auto body = substitute(r["body"].get<std::string>(), bindings_);
      if (!body) return body.error();
      request.body = *body;
    }
    return request;
  }

  const json& t_;
  const harness::WireClient& client_;
  const std::chrono::seconds grace_;
  Bindings bindings_;
  std::map<std::string, codec::UnixSeconds> marks_;
  harness::Redactor redactor_;
};

}  // namespace

ReplayOutcome replay_transcript(const nlohmann::json& transcript, const std::string& file,
                                const harness::WireClient& client, std::chrono::seconds expiry_grace) {
  ReplayOutcome outcome;
  outcome.file = file;
  const auto start = std::chrono::steady_clock::now();
  try {  // the transcript is input: a malformed member ends this replay, not the run
    outcome.name = transcript.at("name").get<std::string>();
    outcome.steps_total = static_cast<int>(transcript.at("steps").size());
    Replay replay(transcript, client, expiry_grace);
    const std::string problem = replay.run(outcome.steps_run);
    outcome.passed = problem.empty();
    outcome.first_mismatch = replay.redactor().apply(problem);
  } catch (const std::exception& e) {
    outcome.passed = false;
    outcome.first_mismatch = std::string("malformed transcript: ") + e.what();
  }
  outcome.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return outcome;
}

}  // namespace tigress::conformance
