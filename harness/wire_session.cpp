#include "harness/wire_session.hpp"

#include <algorithm>
#include <cctype>

#include "harness/framing_calibration.hpp"
#include "harness/http_text.hpp"
#include "harness/wire_exchange.hpp"

namespace tigress::harness {
namespace {

bool has_token(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (iequals(item, token)) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

bool keeps_connection(const HttpResponse& response, bool request_written, std::size_t unconsumed_bytes) {
  if (!request_written || unconsumed_bytes > 0 || response.body_truncated) return false;
  const int s = response.status;
  if (s == 101) return false;  // the connection now speaks another protocol
  bool framed_by_length = false;
  for (const auto& [name, value] : response.headers) {
    if (iequals(name, "Connection") && has_token(value, "close")) return false;
    if (iequals(name, "Content-Length")) framed_by_length = true;
  }
  // A refusal of a request the server could not parse or frame (400, the size refusals, a
  // 5xx) keeps the connection only when the server says so: a Content-Length answer, read
  // whole, without "Connection: close". A server that left request bytes unread announces the
  // close (RFC 9112 section 9.6); one that does not would be non-conforming there too.
  const bool refusal = s == 400 || s == 408 || s == 413 || s == 414 || s == 431 || s >= 500;
  return !refusal || framed_by_length;
}

bool unambiguously_framed(const HttpRequest& request) {
  // Servers commonly refuse a method they do not know at the request line, before reading the
  // header section, which is then parsed as the next request (cpp-httplib 0.11 does).
  static constexpr std::string_view kMethods[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"};
  if (std::find(std::begin(kMethods), std::end(kMethods), request.method) == std::end(kMethods)) return false;
  if (request.body.empty()) return true;
  // A server that expects no body for a method (GET, DELETE, HEAD, an unknown or lower-case one)
  // may leave the body unread and take it for the next request: answers would then belong to
  // other requests. A multipart body is parsed by many servers themselves, and a parse error
  // leaves the rest unread (cpp-httplib 0.11 does).
  for (const auto& [name, value] : request.headers) {
    if (iequals(name, "Content-Type") && iequals(std::string_view(value).substr(0, 10), "multipart/")) return false;
  }
  return request.method == "POST" || request.method == "PUT" || request.method == "PATCH";
}

WireSession::WireSession(const WireClient& client, FramingCalibration* calibration)
    : client_(client), calibration_(calibration) {}

WireSession::~WireSession() = default;

Result<HttpResponse> WireSession::attempt(const std::string& bytes, bool head_request) {
  const ConnectionOptions& connection = client_.connection();
  if (connection.rate) connection.rate->acquire();  // before the deadline: queueing is not the target's time
  const detail::Deadline deadline(client_.limits().timeout);
  if (stream_ && std::chrono::steady_clock::now() - last_used_ >= kMaxIdle) stream_.reset();
  if (!stream_) {
    auto opened = detail::open_stream(client_.target(), &client_.tls(), connection, deadline,
                                      /*resume_session=*/true);
    if (!opened) return opened.error();
    stream_ = std::move(*opened);
    ++connections_opened_;
    if (stream_->resumed_session()) ++sessions_resumed_;
  }
  detail::ResponseParser parser(client_.limits().max_header_bytes, client_.limits().max_body_bytes, head_request);
  bool written = false;
  auto response = detail::exchange(*stream_, bytes, parser, deadline, written);
  last_used_ = std::chrono::steady_clock::now();
  if (!response || !keeps_connection(*response, written, parser.unconsumed())) stream_.reset();
  if (response) response->elapsed_ms = deadline.elapsed_ms();
  return response;
}

Result<HttpResponse> WireSession::send(const HttpRequest& request) {
  try {
    const bool has_connection = std::any_of(request.headers.begin(), request.headers.end(),
                                            [](const auto& h) { return iequals(h.first, "Connection"); });
    static const HeaderList kNothing, kKeepAlive = {{"Connection", "keep-alive"}};
    const std::string bytes = client_.wire_bytes(request, has_connection ? kNothing : kKeepAlive);
    const bool head = request.method == "HEAD";
    const bool reusable =
        unambiguously_framed(request) || (calibration_ != nullptr && calibration_->shares_connection(request));
    return detail::deliver_with_retry_after(client_.connection().retry_after, [&] {
      auto response = attempt(bytes, head);
      if (!reusable) stream_.reset();
      return response;
    });
  } catch (const std::exception& e) {
    // Nothing may escape into the caller (allocation failure): the connection is given up.
    stream_.reset();
    return make_error(std::string("internal error: ") + e.what());
  }
}

}  // namespace tigress::harness
