#include "harness/framing_calibration.hpp"

#include <cctype>
#include <memory>
#include <string_view>

#include "harness/http_text.hpp"
#include "harness/protocol/vocabulary.hpp"
#include "harness/wire_exchange.hpp"
#include "harness/wire_session.hpp"

namespace tigress::harness {
namespace {

// RFC 9110 section 5.6.2.
bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 &&
        std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos)
      return false;
  }
  return true;
}

constexpr std::string_view kUnknownMailbox = "00000000-0000-4000-8000-000000000000";
constexpr std::string_view kProbeBody = R"({"probe":"framing"})";

HttpRequest probe_request(std::string method, const std::string& target, const std::string& request_id) {
  HttpRequest request;
  request.method = std::move(method);
  request.target = target;
  request.headers = {{"Mailbox-Request-ID", request_id}, {"Connection", "keep-alive"}};
  return request;
}

bool echoes(const HttpResponse& response, const std::string& request_id) {
  return response.header("Mailbox-Request-ID") == request_id;
}

}  // namespace

std::optional<std::string> framing_class(const HttpRequest& request) {
  if (!is_token(request.method) || request.version != "HTTP/1.1") return std::nullopt;
  bool chunked = false;
  for (const auto& [name, value] : request.headers) {
    if (iequals(name, "Content-Length")) return std::nullopt;
    if (iequals(name, "Transfer-Encoding")) {
      if (chunked || !iequals(value, "chunked")) return std::nullopt;
      chunked = true;
    }
    if (iequals(name, "Content-Type") && iequals(std::string_view(value).substr(0, 10), "multipart/"))
      return std::nullopt;
  }
  if (chunked) return request.method + " chunked";
  if (request.body.empty()) return request.method + " none";
  if (!request.add_content_length) return std::nullopt;
  return request.method + " length";
}

bool FramingCalibration::shares_connection(const HttpRequest& request) {
  const std::optional<std::string> name = framing_class(request);
  if (!name) return false;
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto known = verdicts_.find(*name); known != verdicts_.end()) return known->second;
  const bool verdict = probe(request);
  verdicts_.emplace(*name, verdict);
  return verdict;
}

std::vector<std::pair<std::string, bool>> FramingCalibration::verdicts() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return {verdicts_.begin(), verdicts_.end()};
}

// Under mutex_.
bool FramingCalibration::probe(const HttpRequest& sample) {
  const std::string prefix = "tigress-framing-probe-" + std::to_string(++probes_);
  const std::string mailbox = protocol::mailbox_path(client_.target().base_path, kUnknownMailbox);
  HttpRequest ambiguous = probe_request(sample.method, mailbox, prefix + "-a");
  const std::optional<std::string> name = framing_class(sample);
  if (name->ends_with(" chunked")) {
    ambiguous.headers.emplace_back("Content-Type", "application/json");
    ambiguous.headers.emplace_back("Transfer-Encoding", "chunked");
    ambiguous.body = "13\r\n" + std::string(kProbeBody) + "\r\n0\r\n\r\n";
  } else if (name->ends_with(" length")) {
    ambiguous.headers.emplace_back("Content-Type", "application/json");
    ambiguous.body = std::string(kProbeBody);
  }
  HttpRequest canonical = probe_request("GET", mailbox, prefix + "-b");

  const ConnectionOptions& connection = client_.connection();
  for (int request = 0; connection.rate && request < 3; ++request) connection.rate->acquire();
  const ClientLimits& limits = client_.limits();
  const detail::Deadline deadline(limits.timeout);
  auto stream = detail::open_stream(client_.target(), &client_.tls(), connection, deadline, /*resume_session=*/true);
  if (!stream) return false;
  // The canonical request alone first: what it is answered when nothing comes before it.
  detail::ResponseParser alone(limits.max_header_bytes, limits.max_body_bytes, false);
  bool written = false;
  auto baseline = detail::exchange(**stream, client_.wire_bytes(canonical), alone, deadline, written);
  if (!baseline || !written || !keeps_connection(*baseline, true, alone.unconsumed()) ||
      !echoes(*baseline, prefix + "-b"))
    return false;
  // Then both in one write: a server that reads only what it thinks belongs to the first
  // request finds the rest of it in front of the second, which it then answers differently (a
  // 400 for a garbled request line), even if it salvages the echo.
  canonical.headers[0].second = prefix + "-c";
  const std::string bytes = client_.wire_bytes(ambiguous) + client_.wire_bytes(canonical);
  detail::ResponseParser first(limits.max_header_bytes, limits.max_body_bytes, ambiguous.method == "HEAD");
  auto first_answer = detail::exchange(**stream, bytes, first, deadline, written);
  if (!first_answer || !written || !keeps_connection(*first_answer, true, 0) || !echoes(*first_answer, prefix + "-a"))
    return false;
  detail::ResponseParser second(limits.max_header_bytes, limits.max_body_bytes, false);
  if (!second.feed(first.unconsumed_bytes())) return false;
  HttpResponse second_answer;
  if (second.done()) {
    second_answer = std::move(second.response());
  } else {
    bool nothing_to_write = false;
    auto read = detail::exchange(**stream, std::string(), second, deadline, nothing_to_write);
    if (!read) return false;
    second_answer = std::move(*read);
  }
  return keeps_connection(second_answer, true, second.unconsumed()) && echoes(second_answer, prefix + "-c") &&
         second_answer.status == baseline->status;
}

}  // namespace tigress::harness
