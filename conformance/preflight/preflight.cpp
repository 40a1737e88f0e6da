#include "conformance/preflight/preflight.hpp"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "harness/redaction.hpp"
#include "reference/codec/headers.hpp"
#include "reference/codec/timestamp.hpp"
#include "reference/codec/uuid.hpp"

namespace tigress::conformance {

const char* const kPreflightUsage =
    R"(Preflight: before any case, a TLS connect and one canonical exchange (CreateMailbox, ReadMailbox
as the initiator, DeleteMailbox) with 5 s deadlines. If it fails, no case runs: the step, the
request (secrets redacted), the status, the relay's answer body and hints are printed and go into
the reports, and the exit status is 3 ("the target could not be tested").
)";

namespace {

constexpr std::size_t kShownBytes = 1024;  // of the request and of the relay's answer body

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

std::string fresh_uuid() {
  auto id = codec::generate_uuid_v4();
  return id ? id->to_string() : "00000000-0000-4000-8000-000000000000";
}

harness::HttpRequest make_request(std::string method, std::string path, const std::string& claim, std::string body) {
  harness::HttpRequest request;
  request.method = std::move(method);
  request.target = std::move(path);
  request.headers.emplace_back(std::string(codec::kDeviceClaimHeader), claim);
  request.headers.emplace_back(std::string(codec::kRequestIdHeader), fresh_uuid());
  if (!body.empty()) request.headers.emplace_back("Content-Type", std::string(codec::kJsonMediaType));
  request.body = std::move(body);
  return request;
}

// The canonical CreateMailbox body (6.1): a sealed-looking payload, display information, all
// rights, an expiration one hour ahead.
std::string canonical_create_body() {
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  nlohmann::json body = {
      {"payload", {{"type", "AEAD_AES_128_GCM"}, {"data", "cHJlZmxpZ2h0IGNoZWNrIG9mIHRoZSByZWxheSB1bmRlciB0ZXN0"}}},
      {"displayInformation",
       {{"title", "Preflight"},
        {"description", "tigress-conform preflight"},
        {"imageURL", "https://example.com/key.png"}}},
      {"mailboxConfiguration", {{"accessRights", "RWD"}, {"expiration", codec::format_timestamp(now + 3600)}}}};
  return body.dump();
}

// The request target a CreateMailbox answer names through urlLink (AMB-20), or "".
std::string mailbox_path_from(const std::string& body) {
  auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json.contains("urlLink") || !json["urlLink"].is_string()) return "";
  std::string target = json["urlLink"].get<std::string>();
  if (auto scheme = target.find("://"); scheme != std::string::npos) {
    auto slash = target.find('/', scheme + 3);
    target = slash == std::string::npos ? "/" : target.substr(slash);
  }
  if (auto cut = target.find_first_of("?#"); cut != std::string::npos) target.resize(cut);
  return target.empty() || target.back() == '/' ? "" : target;
}

class Preflight {
 public:
  Preflight(const harness::Target& target, const harness::TlsOptions& tls, harness::ClientLimits limits,
            const harness::ConnectionOptions& connection)
      : target_(target), tls_(tls), limits_(limits), client_(target, tls, limits, connection) {
    connection.register_secrets(redactor_);
  }

  PreflightResult run() {
    const auto start = std::chrono::steady_clock::now();
    PreflightResult result = exchange();
    result.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return result;
  }

 private:
  PreflightResult exchange() {
    const std::string initiator = fresh_uuid();
    redactor_.add(initiator, "initiator-claim");
    const std::string collection = target_.base_path + "/" + std::string(codec::kApiVersion) + "/m";

    auto create_request = make_request("POST", collection, initiator, canonical_create_body());
    auto created = client_.send(create_request);
    if (!created) return transport_failure(create_request, created.error().message());
    if (created->status != 200 && created->status != 201) {
      return refused("create", create_request, *created, "CreateMailbox (6.1) was refused");
    }
    const std::string path = mailbox_path_from(created->body);
    if (path.empty()) {
      return refused("create", create_request, *created, "the CreateMailbox answer has no usable urlLink (6.1)");
    }

    auto read_request = make_request("POST", path, initiator, "");
    auto read = client_.send(read_request);
    if (!read) return transport_failure(read_request, read.error().message(), "read");
    if (read->status != 200) {
      return refused("read", read_request, *read, "ReadMailbox (6.5) by the initiator was refused");
    }

    auto delete_request = make_request("DELETE", path, initiator, "");
    auto deleted = client_.send(delete_request);
    if (!deleted) return transport_failure(delete_request, deleted.error().message(), "delete");
    if (deleted->status < 200 || deleted->status > 299) {
      return refused("delete", delete_request, *deleted, "DeleteMailbox (6.3) by the initiator was refused");
    }
    PreflightResult passed;
    passed.passed = true;
    return passed;
  }

  std::string shown(const std::string& text) const { return harness::printable(redactor_.apply(text), kShownBytes); }

  PreflightResult transport_failure(const harness::HttpRequest& request, const std::string& reason,
                                    std::string step = "") {
    PreflightResult result;
    // The wire client's reasons for failing before any byte of the request left.
    const bool before_http = reason.rfind("connect:", 0) == 0 || contains(reason, "(connecting") ||
                             contains(reason, "resolv") || contains(reason, "TLS handshake");
    result.step = !step.empty() ? std::move(step) : before_http ? "connect" : "create";
    if (result.step != "connect") result.sent = shown(client_.wire_bytes(request));
    result.diagnosis = (result.step == "connect" ? "no TLS connection to " : "no HTTP answer from ") + target_.url() +
                       ": " + redactor_.apply(reason);
    if (contains(reason, "timeout")) {
      result.hints.push_back("no answer within the " + std::to_string(limits_.timeout.count()) +
                             " ms deadline: is the relay running, and is this its TLS port?");
    }
    if (contains(reason, "refused")) {
      result.hints.push_back("nothing accepts connections on " + target_.host + ":" + std::to_string(target_.port) +
                             ": is the relay running, and is this its port?");
    }
    if (contains(reason, "closed by the target")) {
      result.hints.push_back(
          "the target took the TLS connection and closed it without an HTTP answer: is this an "
          "HTTP/1.1 relay, and is this its port?");
    }
    if (contains(reason, "certificate verify failed")) {
      result.hints.push_back(
          std::string("the certificate did not verify against ") +
          (tls_.ca_file.empty() ? "the system's trust store" : "--ca " + tls_.ca_file) +
          ": give --ca FILE with the CA that issued it (subject and issuer above), or --insecure to test without "
          "verification");
    }
    // A handshake the target broke off (not one that timed out or did not verify) may have met a
    // plain-HTTP server, which answers a ClientHello with an HTTP error: ask it in cleartext.
    const bool handshake_broken = contains(reason, "TLS handshake") && !contains(reason, "timeout") &&
                                  !contains(reason, "certificate verify failed");
    if (result.step == "connect" && handshake_broken && speaks_plain_http()) {
      result.hints.push_back(
          "the port answers plain HTTP, not TLS: the target URL is https://, the relay serves "
          "http:// here; give its TLS port, or put TLS in front of it");
    }
    return result;
  }

  // Whether the target answers an HTTP request sent without TLS (no secrets in it).
  bool speaks_plain_http() const {
    auto answer = client_.send_cleartext("GET / HTTP/1.1\r\nHost: " + target_.host + "\r\nConnection: close\r\n\r\n");
    return answer.ok();
  }

  PreflightResult refused(std::string step, const harness::HttpRequest& request, const harness::HttpResponse& response,
                          const std::string& what) {
    PreflightResult result;
    result.step = std::move(step);
    result.status = response.status;
    result.sent = shown(client_.wire_bytes(request));
    result.body = shown(response.body);
    result.diagnosis = what + ": the relay answered " + std::to_string(response.status) +
                       (response.reason.empty() ? "" : " " + harness::printable(response.reason, 80));
    const std::string body = lower(response.body);
    const bool names_old_headers =
        (contains(body, "device-claim") && !contains(body, "mailbox-device-claim")) ||
        (contains(body, "device-attestation") && !contains(body, "mailbox-device-attestation"));
    if (names_old_headers || (result.step == "create" && (response.status == 400 || response.status == 401))) {
      result.hints.push_back(
          std::string(names_old_headers ? "the relay's answer names" : "relays built to older drafts expect") +
          " the header names of older drafts (Device-Claim, Device-Attestation); this draft "
          "(5.2, 5.3) names them Mailbox-Device-Claim and Mailbox-Device-Attestation");
    }
    if (result.step == "create" && (response.status == 404 || response.status == 405)) {
      result.hints.push_back("the relay has no mailbox collection at " + target_.url() +
                             "/v1/m: if it serves the API "
                             "under a path prefix, give it in --target (https://host:port/prefix)" +
                             (target_.base_path.empty() ? "" : "; or the prefix " + target_.base_path + " is wrong"));
    }
    if (response.status >= 500) {
      result.hints.push_back("the relay failed on a canonical request: see its own logs");
    }
    return result;
  }

  const harness::Target& target_;
  const harness::TlsOptions& tls_;
  harness::ClientLimits limits_;
  harness::WireClient client_;
  harness::Redactor redactor_;
};

}  // namespace

PreflightResult run_preflight(const harness::Target& target, const harness::TlsOptions& tls,
                              const harness::ClientLimits& limits, const harness::ConnectionOptions& connection,
                              std::chrono::milliseconds step_timeout) {
  harness::ClientLimits bounded = limits;
  bounded.timeout = std::min(limits.timeout, step_timeout);
  PreflightResult result = Preflight(target, tls, bounded, connection).run();
  result.target = target.url();
  return result;
}

PreflightResult run_preflight(const std::vector<harness::TargetInstance>& instances,
                              const harness::ClientLimits& limits, const harness::ConnectionOptions& connection,
                              std::chrono::milliseconds step_timeout) {
  PreflightResult all_passed;
  all_passed.passed = true;
  for (const auto& instance : instances) {
    PreflightResult result = run_preflight(instance.target, instance.tls, limits, connection, step_timeout);
    if (!result.passed) {
      result.elapsed_ms += all_passed.elapsed_ms;
      return result;
    }
    all_passed.elapsed_ms += result.elapsed_ms;
    all_passed.target += (all_passed.target.empty() ? "" : ", ") + result.target;
  }
  return all_passed;
}

std::string describe_preflight(const PreflightResult& result) {
  const std::string against = result.target.empty() ? "" : " against " + result.target;
  if (result.passed) {
    return "preflight: passed" + against + " (" + std::to_string(static_cast<long long>(result.elapsed_ms)) + " ms)\n";
  }
  std::string out = "preflight FAILED" + against + " at step " + result.step + ": " + result.diagnosis + "\n";
  out += "preflight: nothing was tested (exit status 3)\n";
  for (const auto& hint : result.hints) out += "preflight hint: " + hint + "\n";
  if (!result.sent.empty()) out += "preflight sent:\n" + result.sent + "\n";
  if (result.status != 0) {
    out += "preflight answer: status " + std::to_string(result.status) +
           ", body: " + (result.body.empty() ? "(empty)" : result.body) + "\n";
  }
  return out;
}

}  // namespace tigress::conformance
