// Sequence execution and the invariants of net_fuzz_runner.hpp.
#include "conformance/netfuzz/net_fuzz_runner.hpp"

#include <chrono>
#include <thread>

#include "harness/redaction.hpp"
#include "reference/codec/bodies.hpp"
#include "reference/codec/uuid.hpp"

namespace tigress::fuzz {
namespace {

std::string path_without_query(const std::string& path) { return path.substr(0, path.find('?')); }

std::size_t header_count(const harness::HeaderList& headers, const std::string& name) {
  std::size_t n = 0;
  for (const auto& h : headers) n += to_lower(h.first) == to_lower(name) ? 1 : 0;
  return n;
}

std::optional<std::string> header_value(const harness::HeaderList& headers, const std::string& name) {
  for (const auto& h : headers) {
    if (to_lower(h.first) == to_lower(name)) return h.second;
  }
  return std::nullopt;
}

// Claims compare as UUIDs (AMB-57); braces or a urn prefix are stripped so that a relay that
// accepts those spellings is not blamed for a binding it did not make.
std::string normalised_claim(std::string claim) {
  claim = to_lower(std::move(claim));
  if (claim.rfind("urn:uuid:", 0) == 0) claim.erase(0, 9);
  if (claim.size() >= 2 && claim.front() == '{' && claim.back() == '}') claim = claim.substr(1, claim.size() - 2);
  return claim;
}

Finding invariant(const NetRequest& request, const std::string& name, const std::string& detail) {
  return Finding{"invariant", endpoint_of(request), name, detail, 0};
}

// WireClient reports an expired deadline as "timeout after N ms (...)": that is the only
// failure that means "no complete answer in time" rather than "connection failed".
bool is_timeout(const Error& error) { return error.message().rfind("timeout after", 0) == 0; }

// HTTP servers and proxies in front of a relay refuse some requests before the mailbox API sees
// them, and such answers cannot carry the API's headers: methods outside the draft's six
// (400/405/501), header fields over 8 KiB (400/431), size limits (413/414/431) and multipart
// bodies the framework parses itself (cpp-httplib: 400). The echo is judged on everything else.
bool reaches_mailbox_api(const harness::HttpRequest& sent, int status) {
  static const char* const kDraftMethods[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"};
  bool draft_method = false;
  for (const char* m : kDraftMethods) draft_method = draft_method || sent.method == m;
  if (!draft_method || status == 413 || status == 414 || status == 431) return false;
  for (const auto& [name, value] : sent.headers) {
    if (value.size() > 8 * 1024) return false;
    if (to_lower(name) == "content-type" && to_lower(value).rfind("multipart/", 0) == 0) return false;
  }
  return true;
}

}  // namespace

bool SequenceRunner::relay_alive() {
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto claim = codec::generate_uuid_v4();
    if (!claim) continue;
    harness::HttpRequest probe;
    probe.method = "POST";
    probe.target = client_.target().base_path + "/v1/m";
    probe.headers = {{"Mailbox-Device-Claim", claim->to_string()},
                     {"Mailbox-Request-ID", "netfuzz-liveness"},
                     {"Content-Type", "application/json"}};
    probe.body = R"({"payload":{"type":"AEAD_AES_128_GCM","data":"bGl2ZW5lc3M"},)"
                 R"("displayInformation":{"title":"liveness","description":"probe","imageURL":"https://example.com/i"}})";
    ++requests_;
    auto response = client_.send(probe);
    if (response && response->status < 500) return true;
  }
  return false;
}

std::optional<Finding> SequenceRunner::run(const NetSequence& steps, Bindings bindings) {
  bindings_ = std::move(bindings);
  recipient_.reset();
  initiator_.clear();
  deleted_ = false;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const NetRequest& request = steps[i];
    const harness::HttpRequest sent = to_http(request, bindings_, client_.target().base_path);
    ++requests_;
    auto response = client_.send(sent);
    std::optional<Finding> finding;
    if (!response) {
      const std::string reason = harness::printable(response.error().message(), 200);
      if (!relay_alive()) {
        finding = Finding{"crash", endpoint_of(request), "relay-down",
                          "no answer (" + reason + ") and the liveness probe failed", 0};
      } else if (is_timeout(response.error())) {
        finding = Finding{"hang", endpoint_of(request), "timeout", reason + "; the relay still answers probes", 0};
      } else {
        finding = invariant(request, "no-answer", "no HTTP answer: " + reason);
      }
    } else {
      finding = judge(request, sent, *response);
    }
    if (finding) {
      finding->step = static_cast<int>(i);
      return finding;
    }
  }
  return std::nullopt;
}

std::optional<Finding> SequenceRunner::judge(const NetRequest& request, const harness::HttpRequest& sent,
                                             const harness::HttpResponse& response) {
  const std::string status = std::to_string(response.status);
  if (response.status >= 500 && response.status <= 599) {
    return Finding{"5xx", endpoint_of(request), status,
                   "status " + status + ": " + harness::printable(response.body, 160), 0};
  }
  // 5.1, AMB-05: a single request ID within the relay's limit (AMB-40) is echoed on every answer
  // the mailbox API gives (see reaches_mailbox_api for the answers a front end gives instead).
  if (header_count(sent.headers, "Mailbox-Request-ID") == 1 && reaches_mailbox_api(sent, response.status)) {
    const std::string id = *header_value(sent.headers, "Mailbox-Request-ID");
    const auto echoed = response.header("Mailbox-Request-ID");
    if (!id.empty() && id.size() <= 256 && (!echoed || *echoed != id)) {
      return invariant(request, "request-id-echo",
                       "status " + status + ", Mailbox-Request-ID " +
                           (echoed ? "echoed as '" + harness::printable(*echoed, 80) + "'" : "not echoed"));
    }
  }
  // 6.4, 8.1.3: the stored payload leaves the relay only in a Read's 200 answer.
  if (response.body.find(kPayloadMarker) != std::string::npos &&
      sent.body.find(kPayloadMarker) == std::string::npos && !(request.method == "POST" && response.status == 200)) {
    return invariant(request, "payload-outside-read", "status " + status + " body carries payload.data");
  }
  const std::string template_path = path_without_query(request.path);
  if (template_path == "/v1/m" && request.method == "POST" && bindings_.mailbox.empty() &&
      (response.status == 200 || response.status == 201)) {
    auto created = codec::parse_create_response(response.body);
    if (!created) {
      if (response.status == 200) {
        return invariant(request, "create-body", "Create 200 with an invalid body: " + created.error().message());
      }
      return std::nullopt;
    }
    bindings_.mailbox = to_lower(created->url_link.substr(created->url_link.rfind('/') + 1));
    // The initiator is whoever created it: a mutated Create may carry any of the claims.
    const auto creator = header_value(sent.headers, "Mailbox-Device-Claim");
    initiator_ = creator ? normalised_claim(*creator) : std::string();
    return std::nullopt;
  }
  if (bindings_.mailbox.empty()) return std::nullopt;
  const bool on_mailbox = template_path == "/v1/m/${MAILBOX}" || template_path == "/v1/m/${MAILBOX_UPPER}";
  const bool touches_mailbox = to_lower(sent.target).find(bindings_.mailbox) != std::string::npos;
  if (deleted_ && on_mailbox && response.status == 200 && (request.method == "POST" || request.method == "GET")) {
    return invariant(request, "served-after-delete", "status 200 after a successful Delete (6.3)");
  }
  if (touches_mailbox && response.status == 200 && request.method == "DELETE") deleted_ = true;
  if (touches_mailbox && response.status == 200 && request.method == "PATCH") recipient_.reset();  // 6.6
  if (on_mailbox && response.status == 200 && request.method == "POST") {
    const auto claims = header_count(sent.headers, "Mailbox-Device-Claim");
    if (claims == 0) return invariant(request, "read-without-claim", "Read answered 200 without a claim (AMB-01)");
    const std::string claim = normalised_claim(*header_value(sent.headers, "Mailbox-Device-Claim"));
    if (claim != initiator_) {  // the initiator reads without binding (4.1)
      if (recipient_ && *recipient_ != claim) {
        return invariant(request, "second-recipient", "a second claim read with 200 while another is bound (4.1, 8.1.1)");
      }
      recipient_ = claim;
    }
  }
  return std::nullopt;
}

}  // namespace tigress::fuzz
