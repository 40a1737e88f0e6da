#include "reference/client/relay_api.hpp"

#include <exception>
#include <fstream>
#include <iterator>

#include <httplib.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "reference/client/careless_reading.hpp"
#include "reference/codec/headers.hpp"

namespace tigress::client {
namespace {

using nlohmann::json;

constexpr std::string_view kScheme = "https://";

// Text that came from the network ends up on a terminal: keep it printable and short so a
// hostile relay cannot inject escape sequences or flood the one error line.
std::string printable(std::string_view text, std::size_t max = 160) {
  std::string out;
  for (char c : text.substr(0, max)) {
    out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  }
  if (text.size() > max) out += "...";
  return out;
}

bool is_ipv6_literal(std::string_view host) { return !host.empty() && host.front() == '['; }

// httplib resolves and verifies the bare address; only URLs and Host use the brackets.
std::string connect_host(std::string_view host) {
  return is_ipv6_literal(host) ? std::string(host.substr(1, host.size() - 2)) : std::string(host);
}

std::string mailbox_path(const codec::ShareUrl& mailbox) {
  // Never the fragment (section 8.2.1 MUST) and never the vertical: only the mailbox address.
  return "/v" + std::to_string(mailbox.api_version) + "/m/" + mailbox.mailbox_id.to_string();
}

// Transport failures after which the request may or may not have been processed, i.e. the
// response is lost: section 5.1 lets the caller repeat it with the same Request-ID. Failures
// that no repetition can cure (certificate verification, our own size limit) are not retried.
bool response_lost(httplib::Error error) {
  switch (error) {
    case httplib::Error::Unknown:
    case httplib::Error::Connection:
    case httplib::Error::ConnectionTimeout:
    case httplib::Error::Read:
    case httplib::Error::Write:
    case httplib::Error::SSLConnection:
      return true;
    default:
      return false;
  }
}

Status check_ca_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return field_error("--ca", "cannot read " + path);
  const std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return make_error("out of memory reading the CA file");
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  const bool found = cert != nullptr;
  X509_free(cert);
  BIO_free(bio);
  if (!found) return field_error("--ca", path + " holds no PEM certificate");
  return {};
}

// "relay answered 401 (unauthorized: Mailbox-Device-Claim: not bound to this mailbox)"
std::string describe_status(int status, const std::string& body) {
  std::string text = "relay answered " + std::to_string(status);
  const json document = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (document.is_object()) {
    const auto code = document.find("error");
    const auto detail = document.find("detail");
    std::string why;
    if (code != document.end() && code->is_string()) why = code->get<std::string>();
    if (detail != document.end() && detail->is_string()) {
      why += (why.empty() ? "" : ": ") + detail->get<std::string>();
    }
    if (!why.empty()) text += " (" + printable(why) + ")";
  }
  return text;
}

// "application/json" with optional parameters, any letter case (RFC 9110 section 8.3.1).
bool is_json_media_type(std::string_view value) {
  value = value.substr(0, value.find(';'));
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  if (value.size() != codec::kJsonMediaType.size()) return false;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    const char folded = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    if (folded != codec::kJsonMediaType[i]) return false;
  }
  return true;
}

// One Mailbox-Request-ID for everything: the reuses-request-id defect only.
constexpr std::string_view kConstantRequestId = "0f6b2d8e-5a3c-4e71-9b04-7d2e8c1a6f35";
// Where the sends-secret defect puts the secret.
constexpr std::string_view kLeakedSecretHeader = "X-Mailbox-Share-Key";

// Raw outcome of one logical call (after at most one retry).
struct Exchange {
  int status = 0;
  std::string body;
  std::string content_type;
  std::string request_id;
  int attempts = 1;
};

// kTigressWithoutId: the claim but no Mailbox-Request-ID (a Read under the
// read-without-request-id variant: draft 6.5 lists none), so no echo to check either.
enum class HeaderSet { kNone, kTigress, kTigressWithoutId };

}  // namespace

std::string RelayOrigin::to_string() const {
  return std::string(kScheme) + host + (port == 443 ? "" : ":" + std::to_string(port));
}

Result<RelayOrigin> parse_relay_origin(std::string_view text) {
  while (!text.empty() && text.back() == '/') text.remove_suffix(1);
  if (text.find_first_of("/?#", kScheme.size()) != std::string_view::npos ||
      text.substr(0, kScheme.size()) != kScheme) {
    return field_error("--relay", "must be https://HOST[:PORT] with no path (section 4.2)");
  }
  // Reuse the share-URL grammar for host and port by giving it a well-formed mailbox path.
  auto parsed = codec::parse_mailbox_url(std::string(text) + "/v1/m/00000000-0000-4000-8000-000000000000");
  if (!parsed) return field_error("--relay", parsed.error().message());
  return origin_of(*parsed);
}

RelayOrigin origin_of(const codec::ShareUrl& mailbox) { return RelayOrigin{mailbox.host, mailbox.port.value_or(443)}; }

struct RelayApi::Impl {
  ApiOptions options;
  RelayOrigin origin;
  std::unique_ptr<httplib::SSLClient> http;

  void progress(const std::string& line) const {
    if (options.progress) options.progress(line);
  }

  Result<Exchange> call(std::string_view operation, const char* method, const std::string& target, HeaderSet kind,
                        const codec::Uuid* claim, const std::string* json_body);

  std::string mailbox_target(const codec::ShareUrl& mailbox) const {
    return mailbox_path(mailbox) + options.target_suffix;
  }

  // Every JSON body we act on must be labelled as JSON: a relay (or something in front of it)
  // serving another type is not giving us an API answer.
  Status check_json_response(std::string_view operation, const Exchange& exchange) const {
    if (options.defects.ignores_content_type || is_json_media_type(exchange.content_type)) return {};
    return field_error(std::string(operation), "response Content-Type \"" + printable(exchange.content_type, 80) +
                                                   "\" is not application/json; response not used");
  }
};

Result<Exchange> RelayApi::Impl::call(std::string_view operation, const char* method, const std::string& target,
                                      HeaderSet kind, const codec::Uuid* claim, const std::string* json_body) {
  const std::string name(operation);
  if (options.defects.no_request_id && kind == HeaderSet::kTigress) kind = HeaderSet::kTigressWithoutId;
  httplib::Request request;
  request.method = method;
  request.path = target;
  // Set here because httplib would write an unbracketed IPv6 address.
  request.set_header("Host", origin.port == 443 ? origin.host : origin.host + ":" + std::to_string(origin.port));
  request.set_header("Accept", kind == HeaderSet::kNone ? "text/html" : "application/json");
  Exchange exchange;
  if (kind == HeaderSet::kTigressWithoutId && claim != nullptr) {
    request.set_header(std::string(codec::kDeviceClaimHeader), claim->to_string());
  }
  if (kind == HeaderSet::kTigress) {
    // Section 5.1: a fresh ID per call; listed for Create/Update/Delete/Relinquish and sent on
    // Read too, so every mutating-or-binding call can be matched to its echo.
    auto id = codec::generate_uuid_v4();
    if (!id) return field_error(name, "cannot generate Mailbox-Request-ID: " + id.error().reason);
    exchange.request_id = options.defects.reuses_request_id ? std::string(kConstantRequestId) : id->to_string();
    request.set_header(std::string(codec::kRequestIdHeader), exchange.request_id);
    if (claim != nullptr) {
      request.set_header(std::string(codec::kDeviceClaimHeader), claim->to_string());
    }
  }
  if (!options.leaked_secret.empty()) {
    request.set_header(std::string(kLeakedSecretHeader), options.leaked_secret);
  }
  if (json_body != nullptr) {
    request.set_header("Content-Type", std::string(codec::kJsonMediaType));
    request.body = *json_body;
  }

  for (exchange.attempts = 1;; ++exchange.attempts) {
    std::string received;
    bool too_big = false;
    const std::size_t limit = options.max_response_bytes;
    request.content_receiver = [&](const char* data, std::size_t length, std::uint64_t, std::uint64_t) {
      if (received.size() + length > limit) {
        too_big = true;
        return false;
      }
      received.append(data, length);
      return true;
    };
    httplib::Result result = http->send(request);
    if (!result) {
      if (too_big) {
        return field_error(name, "response body larger than " + std::to_string(limit) + " bytes; refused");
      }
      const httplib::Error error = result.error();
      if (error == httplib::Error::SSLServerVerification) {
        const long code = http->get_openssl_verify_result();
        return field_error(name, "TLS certificate of " + origin.to_string() + " not trusted (" +
                                     X509_verify_cert_error_string(code) + "); pass its CA with --ca FILE");
      }
      if (error == httplib::Error::SSLLoadingCerts) {
        return field_error(name, "cannot load the trusted certificates");
      }
      if (response_lost(error) && exchange.attempts == 1) {
        // The same ID and claim make a processed first attempt come back as a 201 duplicate
        // instead of being executed twice (5.1).
        if (options.defects.new_request_id_on_retry && kind == HeaderSet::kTigress) {
          // A retry built as a brand-new request: the relay cannot recognise the duplicate.
          auto fresh = codec::generate_uuid_v4();
          if (!fresh) return field_error(name, "cannot generate Mailbox-Request-ID");
          exchange.request_id = fresh->to_string();
          request.headers.erase(std::string(codec::kRequestIdHeader));
          request.set_header(std::string(codec::kRequestIdHeader), exchange.request_id);
          progress("no response to " + name + "; retrying");
          continue;
        }
        progress("no response to " + name + " (" + httplib::to_string(error) +
                 "); retrying once with the same Mailbox-Request-ID and claim");
        continue;
      }
      return field_error(name, "no response from " + origin.to_string() + " (" + httplib::to_string(error) + ")" +
                                   (exchange.attempts > 1 ? " after one retry" : ""));
    }
    exchange.status = result->status;
    exchange.body = std::move(received);
    exchange.content_type = result->get_header_value("Content-Type");
    if (kind == HeaderSet::kTigress) {
      // Section 5.1 SHALL: the response carries our value. A 2xx without the exact echo may
      // answer some other request, so it is never used (MBX-RID-04). Errors need not echo
      // (AMB-05 lenient) but must not echo a different value.
      const std::string header(codec::kRequestIdHeader);
      const std::size_t count = result->get_header_value_count(header);
      const std::string echoed = result->get_header_value(header);
      const bool success = exchange.status >= 200 && exchange.status < 300;
      const bool mismatch = count > 1 || (count == 1 && echoed != exchange.request_id);
      if (mismatch && !options.defects.ignores_echo_mismatch) {
        return field_error(name, "Mailbox-Request-ID echo mismatch (sent " + exchange.request_id + ", got \"" +
                                     printable(echoed, 80) + "\"; draft 5.1); response not used");
      }
      if (count == 0 && success) {
        return field_error(name, "relay answered " + std::to_string(exchange.status) +
                                     " without echoing Mailbox-Request-ID (draft 5.1); "
                                     "response not used");
      }
    }
    return exchange;
  }
}

RelayApi::RelayApi(RelayOrigin origin, std::unique_ptr<Impl> impl)
    : origin_(std::move(origin)), impl_(std::move(impl)) {}

RelayApi::~RelayApi() = default;

Result<std::unique_ptr<RelayApi>> RelayApi::connect(const RelayOrigin& origin, ApiOptions options) {
  if (options.insecure && !options.ca_file.empty()) {
    return make_error("--ca and --insecure exclude each other");
  }
  if (!options.ca_file.empty()) {
    if (auto status = check_ca_file(options.ca_file); !status) return status.error();
  }
  auto impl = std::make_unique<Impl>();
  try {
    impl->http = std::make_unique<httplib::SSLClient>(connect_host(origin.host), origin.port);
  } catch (const std::exception&) {
    return make_error("cannot set up the TLS client");
  }
  if (!impl->http->is_valid()) return make_error("cannot set up the TLS client");
  auto& http = *impl->http;
  http.set_keep_alive(true);   // one TLS handshake per command, not per call
  http.set_tcp_nodelay(true);  // Nagle + delayed ACK cost ~40 ms per request (measured)
  // A redirect is not an answer from this relay (follows-redirects: followed anywhere).
  http.set_follow_location(options.defects.follows_redirects);
  http.set_connection_timeout(options.timeout);
  http.set_read_timeout(options.timeout);
  http.set_write_timeout(options.timeout);
  if (options.insecure || options.defects.no_cert_verification) {
    http.enable_server_certificate_verification(false);
  } else {
    http.enable_server_certificate_verification(true);
    // Without a path httplib loads OpenSSL's default verify paths (the system store).
    if (!options.ca_file.empty()) http.set_ca_cert_path(options.ca_file);
  }
  impl->options = std::move(options);
  impl->origin = origin;
  return std::unique_ptr<RelayApi>(new RelayApi(origin, std::move(impl)));
}

namespace {

// 201 means "duplicate of your last request" (5.1). On a first attempt with a fresh ID that
// cannot be true, so it is refused rather than trusted.
Status check_status(std::string_view operation, const Exchange& exchange, bool allow_duplicate) {
  if (exchange.status == 200) return {};
  if (exchange.status == 201 && allow_duplicate) {
    if (exchange.attempts > 1) return {};
    return field_error(std::string(operation),
                       "relay answered 201 (duplicate) to a first attempt with a fresh "
                       "Mailbox-Request-ID");
  }
  return field_error(std::string(operation), describe_status(exchange.status, exchange.body));
}

template <class Body>
Reply<Body> make_reply(const Exchange& exchange, Body body) {
  return Reply<Body>{exchange.status, std::move(body), exchange.status == 201, exchange.request_id, exchange.attempts};
}

}  // namespace

Result<Reply<codec::CreateMailboxResponse>> RelayApi::create(const codec::CreateMailboxRequest& body,
                                                             const codec::Uuid& claim) {
  constexpr std::string_view kName = "CreateMailbox";
  json document = codec::to_json(body);
  if (!impl_->options.leaked_body_member.empty()) document["recoveryHint"] = impl_->options.leaked_body_member;
  const std::string json_body = codec::dump_json(document);
  auto exchange = impl_->call(kName, "POST", "/v1/m", HeaderSet::kTigress, &claim, &json_body);
  if (!exchange) return exchange.error();
  if (auto status = check_status(kName, *exchange, true); !status) return status.error();
  if (auto labelled = impl_->check_json_response(kName, *exchange); !labelled) return labelled.error();
  if (exchange->status == 201) {
    // AMB-03: only a 201 that repeats the original body tells us where the mailbox is.
    const json document = json::parse(exchange->body, nullptr, false);
    if (!document.is_object() || !document.contains("urlLink")) {
      return field_error(std::string(kName),
                         "relay acknowledged the retried create as a duplicate (201) but sent "
                         "no urlLink; the mailbox address is lost (spec gap AMB-03)");
    }
  }
  auto parsed = codec::parse_create_response(exchange->body);
  if (!parsed) return field_error(std::string(kName), "response: " + parsed.error().message());
  if (exchange->status == 201) impl_->progress("create was processed before; using its urlLink");
  return make_reply(*exchange, std::move(*parsed));
}

Result<Reply<codec::UpdateMailboxResponse>> RelayApi::update(const codec::ShareUrl& mailbox, const codec::Uuid& claim,
                                                             const codec::UpdateMailboxRequest& body) {
  constexpr std::string_view kName = "UpdateMailbox";
  const std::string json_body = codec::dump_json(codec::to_json(body));
  auto exchange = impl_->call(kName, "PUT", impl_->mailbox_target(mailbox), HeaderSet::kTigress, &claim, &json_body);
  if (!exchange) return exchange.error();
  if (auto status = check_status(kName, *exchange, true); !status) return status.error();
  if (exchange->status == 201) {
    // The duplicate's body is not needed: the payload was stored by the first attempt.
    impl_->progress("update was processed before (201 duplicate acknowledgement)");
    auto parsed = codec::parse_update_response(exchange->body);
    return make_reply(*exchange, parsed ? *parsed : codec::UpdateMailboxResponse{});
  }
  if (auto labelled = impl_->check_json_response(kName, *exchange); !labelled) return labelled.error();
  auto parsed = codec::parse_update_response(exchange->body);
  if (!parsed) return field_error(std::string(kName), "response: " + parsed.error().message());
  return make_reply(*exchange, std::move(*parsed));
}

Result<Reply<NoBody>> RelayApi::remove(const codec::ShareUrl& mailbox, const codec::Uuid& claim) {
  constexpr std::string_view kName = "DeleteMailbox";
  auto exchange = impl_->call(kName, "DELETE", impl_->mailbox_target(mailbox), HeaderSet::kTigress, &claim, nullptr);
  if (!exchange) return exchange.error();
  if (exchange->attempts > 1 && (exchange->status == 404 || exchange->status == 201)) {
    // AMB-04: the retry finds the mailbox gone because the lost first attempt deleted it.
    impl_->progress("delete was processed before (" + std::to_string(exchange->status) + " to the retry)");
    Reply<NoBody> reply = make_reply(*exchange, NoBody{});
    reply.duplicate = true;
    return reply;
  }
  if (auto status = check_status(kName, *exchange, false); !status) return status.error();
  return make_reply(*exchange, NoBody{});
}

Result<Reply<codec::ReadSecureContentResponse>> RelayApi::read(const codec::ShareUrl& mailbox,
                                                               const codec::Uuid& claim) {
  constexpr std::string_view kName = "ReadSecureContentFromMailbox";
  const HeaderSet headers =
      impl_->options.defects.variants.read_without_request_id ? HeaderSet::kTigressWithoutId : HeaderSet::kTigress;
  auto exchange = impl_->call(kName, "POST", impl_->mailbox_target(mailbox), headers, &claim, nullptr);
  if (!exchange) return exchange.error();
  // AMB-06 lenient: a relay may answer a retried read with 201, still carrying the content.
  if (auto status = check_status(kName, *exchange, true); !status) return status.error();
  if (auto labelled = impl_->check_json_response(kName, *exchange); !labelled) return labelled.error();
  scan_read_answer(impl_->options.defects, exchange->body);
  auto parsed = codec::parse_read_response(exchange->body);
  if (!parsed) return field_error(std::string(kName), "response: " + parsed.error().message());
  return make_reply(*exchange, std::move(*parsed));
}

Result<Reply<NoBody>> RelayApi::relinquish(const codec::ShareUrl& mailbox, const codec::Uuid& claim) {
  constexpr std::string_view kName = "RelinquishMailbox";
  auto exchange = impl_->call(kName, "PATCH", impl_->mailbox_target(mailbox), HeaderSet::kTigress, &claim, nullptr);
  if (!exchange) return exchange.error();
  if (auto status = check_status(kName, *exchange, true); !status) return status.error();
  if (exchange->status == 201) impl_->progress("relinquish was processed before (201)");
  return make_reply(*exchange, NoBody{});
}

Result<Reply<std::string>> RelayApi::preview(const codec::ShareUrl& mailbox) {
  constexpr std::string_view kName = "ReadDisplayInformationFromMailbox";
  std::string target = mailbox_path(mailbox);
  // 7.3.1: the share URL minus its fragment is what a messaging app fetches, query included.
  if (mailbox.vertical) target += std::string("?v=") + static_cast<char>(*mailbox.vertical);
  // keeps-fragment: a naive copy of the whole pasted URL puts the fragment after the query.
  target += impl_->options.target_suffix;
  auto exchange = impl_->call(kName, "GET", target, HeaderSet::kNone, nullptr, nullptr);
  if (!exchange) return exchange.error();
  if (auto status = check_status(kName, *exchange, false); !status) return status.error();
  return make_reply(*exchange, std::move(exchange->body));
}

}  // namespace tigress::client
