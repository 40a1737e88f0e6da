#include "harness/protocol/vocabulary.hpp"

#include <vector>

#include "harness/http_text.hpp"
#include "reference/codec/headers.hpp"

namespace tigress::protocol {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int high = hex_value(text[i + 1]), low = hex_value(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out += static_cast<char>(high * 16 + low);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

// RFC 3986 5.2.4, on the segments of an absolute path.
std::string without_dot_segments(std::string_view path) {
  std::vector<std::string_view> kept;
  std::size_t at = path.empty() || path[0] != '/' ? 0 : 1;
  bool directory = false;  // the path ends with a slash (or a dot segment standing for one)
  while (at <= path.size()) {
    const std::size_t end = std::min(path.find('/', at), path.size());
    const std::string_view segment = path.substr(at, end - at);
    const bool last = end == path.size();
    directory = last && (segment == "." || segment == "..");
    if (segment == "..") {
      if (!kept.empty()) kept.pop_back();
    } else if (segment != ".") {
      kept.push_back(segment);
    }
    at = end + 1;
  }
  std::string out;
  for (auto segment : kept) out += "/" + std::string(segment);
  if (directory || out.empty()) out += "/";
  return out;
}

// In the order of Endpoint.
struct Names {
  std::string_view name, operation, method;
};
constexpr Names kNames[] = {
    {"Create", "CreateMailbox", "POST"},                      // 6.1
    {"Read", "ReadSecureContentFromMailbox", "POST"},         // 6.5
    {"Update", "UpdateMailbox", "PUT"},                       // 6.2
    {"Delete", "DeleteMailbox", "DELETE"},                    // 6.3
    {"Relinquish", "RelinquishMailbox", "PATCH"},             // 6.6
    {"Preview", "ReadDisplayInformationFromMailbox", "GET"},  // 6.4
    {"unknown", "unknown", ""},
};
const Names& names(Endpoint endpoint) { return kNames[static_cast<std::size_t>(endpoint)]; }

}  // namespace

std::string_view endpoint_name(Endpoint endpoint) { return names(endpoint).name; }
std::string_view operation_name(Endpoint endpoint) { return names(endpoint).operation; }
std::string_view method_of(Endpoint endpoint) { return names(endpoint).method; }

bool is_draft_method(std::string_view method) {
  for (Endpoint endpoint : kEndpoints) {
    if (method == method_of(endpoint)) return true;
  }
  return method == "HEAD";
}

std::string collection_path(std::string_view base_path) {
  return std::string(base_path) + std::string(kCollectionPath);
}

std::string mailbox_path(std::string_view base_path, std::string_view mailbox_id) {
  return collection_path(base_path) + "/" + std::string(mailbox_id);
}

Classification classify(std::string_view method, std::string_view target) {
  // A fragment has no place in a request target (RFC 9112 3.2), but a client that leaks one
  // (e.g. appends the share URL's "#secret", whose base64 may hold '/') still addresses the
  // resource before it; the cases judge the leak, so it must be classified, not lost.
  const std::string_view path = target.substr(0, target.find_first_of("?#"));
  Classification out;
  if (path == kCollectionPath) {
    out.resource = Resource::kCollection;
    if (method == method_of(Endpoint::kCreate)) out.endpoint = Endpoint::kCreate;
    return out;
  }
  if (!path.starts_with(kCollectionPath) || path.size() <= kCollectionPath.size() + 1 ||
      path[kCollectionPath.size()] != '/') {
    return out;
  }
  const std::string_view segment = path.substr(kCollectionPath.size() + 1);
  if (segment.find('/') != std::string_view::npos) return out;
  out.resource = Resource::kMailbox;
  out.mailbox = std::string(segment);
  for (Endpoint endpoint :
       {Endpoint::kRead, Endpoint::kUpdate, Endpoint::kDelete, Endpoint::kRelinquish, Endpoint::kPreview}) {
    if (method == method_of(endpoint)) out.endpoint = endpoint;
  }
  return out;
}

Classification classify_attempt(std::string_view method, std::string_view target) {
  Classification out = classify(method, target);
  if (out.endpoint != Endpoint::kUnknown) return out;
  const std::string_view path = target.substr(0, target.find_first_of("?#"));
  if (!path.starts_with(kCollectionPath) || path.size() < kCollectionPath.size() + 1 ||
      path[kCollectionPath.size()] != '/') {
    return out;
  }
  const std::string_view rest = path.substr(kCollectionPath.size() + 1);
  if (rest.empty()) {
    // "/v1/m/": the collection with a trailing slash.
    out.resource = Resource::kCollection;
    if (method == method_of(Endpoint::kCreate)) out.endpoint = Endpoint::kCreate;
    return out;
  }
  out.resource = Resource::kMailbox;
  out.mailbox = std::string(rest.substr(0, rest.find('/')));
  for (Endpoint endpoint :
       {Endpoint::kRead, Endpoint::kUpdate, Endpoint::kDelete, Endpoint::kRelinquish, Endpoint::kPreview}) {
    if (method == method_of(endpoint)) out.endpoint = endpoint;
  }
  return out;
}

std::string normalise_target(std::string_view target) {
  const std::size_t query = target.find('?');
  const std::string path = without_dot_segments(percent_decoded(target.substr(0, query)));
  return query == std::string_view::npos ? path : path + std::string(target.substr(query));
}

std::string link_target(std::string_view url_link) {
  url_link = url_link.substr(0, url_link.find('#'));
  const std::size_t scheme = url_link.find("://");
  const std::size_t authority = scheme == std::string_view::npos ? 0 : scheme + 3;
  const std::size_t path = url_link.find_first_of("/?", authority);
  if (path == std::string_view::npos) return "/";
  const std::string out(url_link.substr(path));
  return out[0] == '?' ? "/" + out : out;
}

std::string mailbox_id_of(std::string_view target_or_link) {
  const std::string_view path = target_or_link.substr(0, target_or_link.find_first_of("?#"));
  return std::string(path.substr(path.rfind('/') + 1));
}

harness::HttpRequest build_request(Endpoint endpoint, std::string target, RequestFields fields) {
  harness::HttpRequest request;
  request.method = std::string(method_of(endpoint));
  request.target = std::move(target);
  if (fields.claim) request.headers.emplace_back(codec::kDeviceClaimHeader, *fields.claim);
  if (fields.request_id && !fields.request_id->empty()) {
    request.headers.emplace_back(codec::kRequestIdHeader, *fields.request_id);
  }
  if (!fields.body.empty()) request.headers.emplace_back("Content-Type", codec::kJsonMediaType);
  request.body = std::move(fields.body);
  return request;
}

bool front_end_may_answer(const harness::HttpRequest& request) {
  if (!is_draft_method(request.method)) return true;
  for (const auto& [name, value] : request.headers) {
    if (value.size() > 8 * 1024) return true;
    if (harness::iequals(name, "Content-Type") && value.size() >= 10 &&
        harness::iequals(std::string_view(value).substr(0, 10), "multipart/")) {
      return true;
    }
  }
  return false;
}

bool is_front_end_limit(int status) { return status == 413 || status == 414 || status == 431; }

}  // namespace tigress::protocol
