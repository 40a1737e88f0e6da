#include "conformance/netfuzz/net_fuzz_request.hpp"

#include <cctype>
#include <cstdio>

#include "harness/protocol/vocabulary.hpp"

namespace tigress::fuzz {

std::string to_upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string to_lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string Bindings::value_of(std::string_view variable) const {
  const std::string mailbox_or_unknown = mailbox.empty() ? std::string(kUnknownMailbox) : mailbox;
  if (variable == "MAILBOX") return mailbox_or_unknown;
  if (variable == "MAILBOX_UPPER") return to_upper(mailbox_or_unknown);
  if (variable == "CLAIM0") return claims[0];
  if (variable == "CLAIM1") return claims[1];
  if (variable == "CLAIM2") return claims[2];
  if (variable == "CLAIM0_UPPER") return to_upper(claims[0]);
  if (variable == "CLAIM1_UPPER") return to_upper(claims[1]);
  return {};
}

std::string Bindings::substitute(std::string_view text) const {
  std::string out;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t open = text.find("${", at);
    if (open == std::string_view::npos) break;
    const std::size_t close = text.find('}', open);
    if (close == std::string_view::npos) break;
    const std::string_view name = text.substr(open + 2, close - open - 2);
    bool known = false;
    for (auto variable : kVariables) known = known || variable == name;
    out.append(text.substr(at, open - at));
    if (known) {
      out += value_of(name);
    } else {
      out.append(text.substr(open, close + 1 - open));  // not ours: sent literally
    }
    at = close + 1;
  }
  out.append(text.substr(at));
  return out;
}

std::string endpoint_of(const NetRequest& request) {
  const std::string& m = request.method;
  const protocol::Classification c = protocol::classify(m, request.path);
  if (c.resource == protocol::Resource::kCollection)
    return c.endpoint == protocol::Endpoint::kCreate ? "create" : m + " collection";
  if (c.resource != protocol::Resource::kMailbox || c.mailbox != "${MAILBOX}") return m + " other-path";
  if (c.endpoint == protocol::Endpoint::kUnknown) return m == "HEAD" ? "preview-head" : m + " mailbox";
  return to_lower(std::string(protocol::endpoint_name(c.endpoint)));
}

namespace {

// Chunks of varying size so chunk boundaries fall inside tokens too.
std::string chunk_encode(const std::string& body) {
  std::string out;
  std::size_t at = 0;
  std::size_t size = 7;
  while (at < body.size()) {
    const std::size_t n = std::min(size, body.size() - at);
    char line[32];
    std::snprintf(line, sizeof line, "%zx\r\n", n);
    out += line;
    out.append(body, at, n);
    out += "\r\n";
    at += n;
    size = size * 3 + 1;
  }
  return out + "0\r\n\r\n";
}

}  // namespace

harness::HttpRequest to_http(const NetRequest& request, const Bindings& bindings, const std::string& base_path) {
  harness::HttpRequest out;
  out.method = request.method;
  out.target = base_path + bindings.substitute(request.path);
  for (const auto& [name, value] : request.headers) out.headers.emplace_back(name, bindings.substitute(value));
  if (request.chunked) {
    out.headers.emplace_back("Transfer-Encoding", "chunked");
    out.body = chunk_encode(request.body);
  } else {
    out.body = request.body;
  }
  return out;
}

}  // namespace tigress::fuzz
