#include "conformance/framework/exchange_answer.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "harness/protocol/vocabulary.hpp"
#include "harness/redaction.hpp"
#include "reference/codec/headers.hpp"
#include "reference/codec/uuid.hpp"

namespace tigress::conformance {
namespace {

// The headers a check is most often about; others stay in the wire log.
constexpr std::array<std::string_view, 9> kTellingHeaders = {
    "Content-Type", "Content-Length",   "Location",           "Cache-Control",    "Allow",
    "Retry-After",  "WWW-Authenticate", "Mailbox-Request-ID", "Transfer-Encoding"};

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool same_name(std::string_view a, std::string_view b) { return lower(a) == lower(b); }

// One line: escapes for CR and LF keep the finding on its detail line.
std::string one_line(std::string_view bytes, std::size_t max_bytes) {
  std::string text = harness::printable(bytes, max_bytes);
  std::string out;
  for (char c : text) {
    if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else if (c == '\t')
      out += "\\t";
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string exchange_name(const harness::HttpRequest& request, std::string_view base_path) {
  std::string_view target = request.target;
  if (!base_path.empty() && target.starts_with(base_path)) target.remove_prefix(base_path.size());
  const auto endpoint = protocol::classify(request.method, target).endpoint;
  if (endpoint != protocol::Endpoint::kUnknown) return std::string(protocol::operation_name(endpoint));
  return one_line(request.method, 32) + " " + one_line(request.target.substr(0, request.target.find('?')), 96);
}

CaseRecorder::Answer summarize_answer(std::string exchange, const harness::HttpResponse& response) {
  CaseRecorder::Answer answer;
  answer.exchange = std::move(exchange);
  answer.status = response.status;
  std::string text = "HTTP " + std::to_string(response.status);
  if (!response.reason.empty()) text += " " + one_line(response.reason, 64);
  std::string headers;
  for (const auto& [name, value] : response.headers) {
    const bool telling = std::any_of(kTellingHeaders.begin(), kTellingHeaders.end(),
                                     [&name = name](std::string_view wanted) { return same_name(name, wanted); });
    if (!telling) continue;
    headers += (headers.empty() ? "" : "; ") + one_line(name, 64) + ": " + one_line(value, 128);
  }
  if (!headers.empty()) text += " (" + headers + ")";
  if (response.body.empty()) {
    text += ", empty body";
  } else {
    text += ", body \"" + one_line(response.body, kAnswerBodyExcerpt) + "\"";
    if (response.body.size() > kAnswerBodyExcerpt) text += " (" + std::to_string(response.body.size()) + " bytes)";
  }
  answer.text = std::move(text);
  return answer;
}

std::string ClaimLedger::sent(const harness::HttpRequest& request) {
  for (const auto& [name, value] : request.headers) {
    if (!same_name(name, codec::kDeviceClaimHeader)) continue;
    std::string claim = lower(value);
    // Only UUIDs: a case's malformed claims ("", "x") would match innocent text everywhere.
    if (codec::parse_uuid(claim)) {
      claims_.insert(claim);
      return claim;
    }
  }
  return {};
}

std::string ClaimLedger::sent_raw(std::string_view bytes) {
  harness::HttpRequest request;
  const std::string_view head = bytes.substr(0, bytes.find("\r\n\r\n"));
  std::size_t at = head.find('\n');  // the request line is not a header
  while (at != std::string_view::npos) {
    const std::size_t next = head.find('\n', at + 1);
    std::string_view line =
        head.substr(at + 1, next == std::string_view::npos ? std::string_view::npos : next - at - 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    const std::size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
      while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
      request.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
    }
    at = next;
  }
  return sent(request);
}

std::vector<std::string> ClaimLedger::foreign_claims_in(const harness::HttpResponse& response,
                                                        const std::string& requester) const {
  std::string seen = lower(response.body);
  for (const auto& [name, value] : response.headers) seen += "\n" + lower(value);
  std::vector<std::string> found;
  for (const std::string& claim : claims_) {
    if (claim != requester && seen.find(claim) != std::string::npos) found.push_back(claim);
  }
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace tigress::conformance
