#include "harness/wire_client.hpp"

#include <poll.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <exception>
#include <memory>
#include <thread>

#include "harness/http_parser.hpp"
#include "harness/http_text.hpp"
#include "harness/retry_after.hpp"
#include "harness/transport.hpp"
#include "harness/wire_exchange.hpp"

namespace tigress::harness {
namespace {

bool has_header(const HeaderList& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return iequals(h.first, name); });
}

bool is_unreserved(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_' || c == '~';
}

// RFC 3986 path characters; percent-encodings must be complete.
bool valid_path(std::string_view path) {
  for (std::size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '%') {
      if (i + 2 >= path.size() || !std::isxdigit(static_cast<unsigned char>(path[i + 1])) ||
          !std::isxdigit(static_cast<unsigned char>(path[i + 2]))) {
        return false;
      }
      i += 2;
    } else if (!is_unreserved(c) && std::string_view("/!$&'()*+,;=:@").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

Error target_error(const std::string& reason) { return make_error("target URL: " + reason); }

std::string authority(const Target& target, bool always_port) {
  const bool v6 = target.host.find(':') != std::string::npos;
  std::string out = v6 ? "[" + target.host + "]" : target.host;
  if (always_port || target.port != 443) out += ":" + std::to_string(target.port);
  return out;
}

// Runs `body`, turning anything thrown (allocation failure, thread creation) into an Error, so
// that nothing escapes into the runner.
template <class T, class F>
Result<T> guarded(F&& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    return make_error(std::string("internal error: ") + e.what());
  } catch (...) {
    return make_error("internal error");
  }
}

}  // namespace

std::string Target::url() const { return "https://" + authority(*this, true) + base_path; }

Result<Target> parse_target(std::string_view url) {
  constexpr std::string_view kScheme = "https://";
  if (url.size() < kScheme.size() || !iequals(url.substr(0, kScheme.size()), kScheme)) {
    return target_error("only https:// URLs are accepted");
  }
  if (url.find_first_of("?#") != std::string_view::npos) return target_error("query and fragment are not allowed");
  std::string_view rest = url.substr(kScheme.size());
  const std::size_t slash = rest.find('/');
  std::string_view host_port = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  if (host_port.find('@') != std::string_view::npos) return target_error("user information is not allowed");

  Target target;
  std::string_view port_text;
  bool has_port = false;
  if (!host_port.empty() && host_port.front() == '[') {
    const std::size_t close = host_port.find(']');
    if (close == std::string_view::npos) return target_error("unterminated IPv6 address");
    target.host = std::string(host_port.substr(1, close - 1));
    if (target.host.find(':') == std::string::npos || !detail::is_ip_literal(target.host)) {
      return target_error("invalid IPv6 address");
    }
    const std::string_view after = host_port.substr(close + 1);
    if (!after.empty() && after.front() != ':') return target_error("unexpected characters after the IPv6 address");
    has_port = !after.empty();
    if (has_port) port_text = after.substr(1);
  } else {
    const std::size_t colon = host_port.find(':');
    target.host = std::string(host_port.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = host_port.substr(colon + 1);
      has_port = true;
      if (port_text.find(':') != std::string_view::npos) return target_error("IPv6 addresses must be in brackets");
    }
    if (target.host.empty()) return target_error("missing host");
    if (!std::all_of(target.host.begin(), target.host.end(), is_unreserved)) {
      return target_error("invalid characters in host");
    }
  }
  if (has_port) {
    if (port_text.empty() || port_text.size() > 5 ||
        !std::all_of(port_text.begin(), port_text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return target_error("invalid port");
    }
    target.port = std::stoi(std::string(port_text));
    if (target.port < 1 || target.port > 65535) return target_error("port out of range");
  }
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (!valid_path(path)) return target_error("invalid characters in path");
  target.base_path = std::string(path);
  return target;
}

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return std::nullopt;
}

std::size_t HttpResponse::header_count(std::string_view name) const {
  return static_cast<std::size_t>(
      std::count_if(headers.begin(), headers.end(), [&](const auto& h) { return iequals(h.first, name); }));
}

std::string serialize_request(const HttpRequest& request, const Target& target, const HeaderList& added) {
  const auto present = [&](std::string_view name) {
    return has_header(request.headers, name) || has_header(added, name);
  };
  const bool method_has_body = request.method == "POST" || request.method == "PUT" || request.method == "PATCH";
  // A case that frames the body itself (its own Content-Length or Transfer-Encoding) gets
  // exactly that, not a second, conflicting length.
  const bool add_length = request.add_content_length && (!request.body.empty() || method_has_body) &&
                          !present("Content-Length") && !present("Transfer-Encoding");
  const std::string host = present("Host") ? std::string() : authority(target, false);
  const std::string length = add_length ? std::to_string(request.body.size()) : std::string();
  const bool add_close = !present("Connection");
  // One allocation: a body of 64 KiB is copied once, not once per growth of the string.
  std::size_t size = request.method.size() + request.target.size() + request.version.size() + 4 + 2 +
                     (host.empty() ? 0 : host.size() + 8) + (add_length ? length.size() + 18 : 0) +
                     (add_close ? 19 : 0) + request.body.size();
  for (const HeaderList* list : {&request.headers, &added}) {
    for (const auto& [name, value] : *list) size += name.size() + value.size() + 4;
  }
  std::string out;
  out.reserve(size);
  out.append(request.method).append(" ").append(request.target).append(" ").append(request.version).append("\r\n");
  if (!host.empty()) out.append("Host: ").append(host).append("\r\n");
  for (const HeaderList* list : {&request.headers, &added}) {
    for (const auto& [name, value] : *list) out.append(name).append(": ").append(value).append("\r\n");
  }
  if (add_length) out.append("Content-Length: ").append(length).append("\r\n");
  if (add_close) out.append("Connection: close\r\n");
  out.append("\r\n").append(request.body);
  return out;
}

WireClient::WireClient(Target target, TlsOptions tls, ClientLimits limits, ConnectionOptions connection)
    : target_(std::move(target)), tls_(std::move(tls)), limits_(limits), connection_(std::move(connection)) {}

namespace {

detail::TlsConfig tls_config(const TlsOptions& tls, const ConnectionOptions& connection, bool verify, int min_version,
                             int max_version) {
  return detail::TlsConfig{
      tls.ca_file, verify, min_version, max_version, connection.client_cert_file, connection.client_key_file};
}

Result<HttpResponse> run_exchange(const Target& target, const TlsOptions* tls, const ConnectionOptions& connection,
                                  const ClientLimits& limits, const std::string& bytes, bool head_request) {
  if (connection.rate) connection.rate->acquire();  // before the deadline starts: queueing is not the target's time
  const detail::Deadline deadline(limits.timeout);
  auto stream = detail::open_stream(target, tls, connection, deadline);
  if (!stream) return stream.error();
  detail::ResponseParser parser(limits.max_header_bytes, limits.max_body_bytes, head_request);
  bool written = false;
  auto response = detail::exchange(**stream, bytes, parser, deadline, written);
  if (response) response->elapsed_ms = deadline.elapsed_ms();
  return response;
}

bool is_head(std::string_view bytes) { return bytes.substr(0, 5) == "HEAD "; }

// "METHOD SP TARGET SP HTTP/d.d" exactly.
bool is_request_line(std::string_view line) {
  const std::size_t first = line.find(' ');
  const std::size_t second = first == std::string_view::npos ? first : line.find(' ', first + 1);
  if (first == 0 || second == std::string_view::npos || second == first + 1) return false;
  const std::string_view method = line.substr(0, first), target = line.substr(first + 1, second - first - 1);
  const std::string_view version = line.substr(second + 1);
  const auto visible = [](char c) { return c > ' ' && c != 0x7F; };
  return std::all_of(method.begin(), method.end(), [](char c) { return is_tchar(c); }) &&
         std::all_of(target.begin(), target.end(), visible) && version.size() == 8 && version.substr(0, 5) == "HTTP/" &&
         std::isdigit(static_cast<unsigned char>(version[5])) != 0 && version[6] == '.' &&
         std::isdigit(static_cast<unsigned char>(version[7])) != 0;
}

// Whether the header section of raw bytes (after the request line) has a field named `name`.
bool raw_has_header(std::string_view head, std::string_view name) {
  for (std::size_t at = head.find("\r\n"); at != std::string_view::npos && at + 2 < head.size();
       at = head.find("\r\n", at + 2)) {
    const std::string_view line = head.substr(at + 2, head.find("\r\n", at + 2) - (at + 2));
    if (line.empty()) break;  // end of the header section
    if (line.size() > name.size() && line[name.size()] == ':' && iequals(line.substr(0, name.size()), name))
      return true;
  }
  return false;
}

std::string describe_wait(const HttpResponse& response, long long seconds, int retry, int max_retries) {
  return "retry-after: the target answered " + std::to_string(response.status) + "; waiting " +
         std::to_string(seconds) + " s before sending the request again (retry " + std::to_string(retry) + " of " +
         std::to_string(max_retries) + ")\n";
}

codec::UnixSeconds unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

std::string WireClient::wire_bytes(const HttpRequest& request, const HeaderList& added) const {
  if (connection_.extra_headers.empty()) return serialize_request(request, target_, added);
  HeaderList with_extras = added;
  for (const auto& header : connection_.extra_headers) {
    if (!has_header(request.headers, header.first) && !has_header(added, header.first)) with_extras.push_back(header);
  }
  return serialize_request(request, target_, with_extras);
}

std::string WireClient::wire_bytes_raw(const std::string& bytes) const {
  const std::size_t line_end = bytes.find("\r\n");
  if (connection_.extra_headers.empty() || line_end == std::string::npos ||
      !is_request_line(std::string_view(bytes).substr(0, line_end))) {
    return bytes;
  }
  const std::size_t next = line_end + 2;
  if (next < bytes.size() && (bytes[next] == ' ' || bytes[next] == '\t')) return bytes;  // obs-fold follows
  std::string inserted;
  for (const auto& [name, value] : connection_.extra_headers) {
    if (!raw_has_header(bytes, name)) inserted += name + ": " + value + "\r\n";
  }
  return bytes.substr(0, next) + inserted + bytes.substr(next);
}

Result<HttpResponse> WireClient::deliver(const std::string& bytes, bool head_request) const {
  return detail::deliver_with_retry_after(
      connection_.retry_after, [&] { return run_exchange(target_, &tls_, connection_, limits_, bytes, head_request); });
}

Result<HttpResponse> WireClient::send(const HttpRequest& request) const {
  return guarded<HttpResponse>([&] { return deliver(wire_bytes(request), request.method == "HEAD"); });
}

Result<HttpResponse> WireClient::send_raw(const std::string& bytes) const {
  return guarded<HttpResponse>([&] { return deliver(wire_bytes_raw(bytes), is_head(bytes)); });
}

Result<HttpResponse> WireClient::send_cleartext(const std::string& bytes) const {
  return guarded<HttpResponse>(
      [&] { return run_exchange(target_, nullptr, connection_, limits_, bytes, is_head(bytes)); });
}

Status WireClient::handshake(int min_version, int max_version) const {
  auto result = guarded<bool>([&]() -> Result<bool> {
    if (connection_.rate) connection_.rate->acquire();
    const detail::Deadline deadline(limits_.timeout);
    auto socket = detail::connect_tcp(connection_.connect_host(target_.host), target_.port, deadline);
    if (!socket) return socket.error();
    // The probe asks whether the target accepts these protocol versions; whether we trust its
    // certificate is a separate question that must not turn "accepted" into "refused".
    const auto config = tls_config(tls_, connection_, false, min_version, max_version);
    auto stream = detail::tls_connect(std::move(*socket), target_.host, config, deadline);
    if (!stream) return stream.error();
    return true;
  });
  if (!result) return result.error();
  return {};
}

}  // namespace tigress::harness

namespace tigress::harness::detail {

// Writes `bytes` and reads the response at the same time: a target may answer (413, 400) and
// stop reading before the request is complete, and waiting to finish the write first would then
// stall until the deadline with the answer already in our receive buffer.
Result<HttpResponse> exchange(Stream& stream, const std::string& bytes, ResponseParser& parser,
                              const Deadline& deadline, bool& request_written) {
  std::size_t sent = 0;
  bool writing = !bytes.empty();
  std::string write_error;
  char buffer[16 * 1024];
  for (;;) {
    bool progress = false;
    bool finished_writing = false;
    short wanted = 0;
    if (writing) {
      const auto out = stream.write(bytes.data() + sent, bytes.size() - sent);
      if (out.status == IoStatus::kDone) {
        sent += out.bytes;
        writing = sent < bytes.size();
        finished_writing = !writing;
        // The rest of the request goes out at once; once it is all written, a read that finds
        // nothing yet waits for the answer in poll() rather than asking the socket again.
        progress = writing;
      } else if (out.status == IoStatus::kWantRead) {
        wanted |= POLLIN;
      } else if (out.status == IoStatus::kWantWrite) {
        wanted |= POLLOUT;
      } else {
        // The target may still have answered before hanging up: keep reading.
        write_error = out.status == IoStatus::kEof ? "write: connection closed" : out.error;
        writing = false;
        progress = true;
      }
    }
    // Right after the last request byte went out, an answer can only be in the socket (which
    // poll() sees) or already read into the stream: poll() first instead of a read that would
    // most likely find nothing, one system call less per exchange.
    const bool poll_first = finished_writing && !stream.has_buffered_input();
    const auto in = poll_first ? IoResult{IoStatus::kWantRead, 0, {}} : stream.read(buffer, sizeof buffer);
    switch (in.status) {
      case IoStatus::kDone: {
        auto fed = parser.feed(std::string_view(buffer, in.bytes));
        if (!fed) return fed.error();
        if (parser.done()) {
          request_written = !writing && write_error.empty();
          return std::move(parser.response());
        }
        progress = true;
        break;
      }
      case IoStatus::kWantRead:
        wanted |= POLLIN;
        break;
      case IoStatus::kWantWrite:
        wanted |= POLLOUT;
        break;
      case IoStatus::kEof: {
        auto finished = parser.finish();
        request_written = !writing && write_error.empty();
        if (finished) return std::move(parser.response());
        if (!write_error.empty()) return make_error(finished.error().reason + " (" + write_error + ")");
        if (writing) {
          return make_error(finished.error().reason + " after " + std::to_string(sent) + " of " +
                            std::to_string(bytes.size()) + " request bytes");
        }
        return finished.error();
      }
      case IoStatus::kError:
        if (!write_error.empty()) return make_error(in.error + " (" + write_error + ")");
        return make_error(in.error);
    }
    const std::string phase = writing ? "sending the request" : "waiting for the response";
    // Progress alone must not keep us going: a target trickling one byte at a time never
    // lets poll() time out, so the deadline is checked on every round.
    if (deadline.expired()) return deadline.timeout(phase);
    if (!progress) {
      auto ready = wait_ready(stream.fd(), wanted, deadline, phase);
      if (!ready) return ready.error();
    }
  }
}

Result<std::unique_ptr<Stream>> open_stream(const Target& target, const TlsOptions* tls,
                                            const ConnectionOptions& connection, const Deadline& deadline,
                                            bool resume_session) {
  auto socket = connect_tcp(connection.connect_host(target.host), target.port, deadline);
  if (!socket) return socket.error();
  if (tls == nullptr) return std::unique_ptr<Stream>(std::make_unique<PlainStream>(std::move(*socket)));
  auto config = tls_config(*tls, connection, !tls->insecure, tls->min_version, tls->max_version);
  config.resume_session = resume_session;
  return tls_connect(std::move(*socket), target.host, config, deadline);
}

Result<HttpResponse> deliver_with_retry_after(const RetryAfterPolicy& policy,
                                              const std::function<Result<HttpResponse>()>& attempt) {
  std::vector<RetriedAnswer> retried;
  long long waited = 0;
  for (int retry = 1;; ++retry) {
    auto response = attempt();
    if (!response) {
      if (retried.empty()) return response;
      return make_error(response.error().message() + " (after " + std::to_string(retried.size()) +
                        " Retry-After wait(s))");
    }
    const auto retry_after = response->header("Retry-After");
    std::optional<long long> seconds;
    if (policy.enabled && (response->status == 429 || response->status == 503) && retry_after &&
        retry <= policy.max_retries) {
      seconds = retry_after_seconds(*retry_after, unix_now());
    }
    if (!seconds || waited + *seconds > policy.max_total_wait.count()) {
      response->retried = std::move(retried);
      return response;
    }
    std::fputs(describe_wait(*response, *seconds, retry, policy.max_retries).c_str(), stderr);
    std::this_thread::sleep_for(std::chrono::seconds(*seconds));
    waited += *seconds;
    retried.push_back({response->status, response->reason, response->headers, *seconds});
  }
}

}  // namespace tigress::harness::detail
