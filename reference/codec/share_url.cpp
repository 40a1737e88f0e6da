#include "reference/codec/share_url.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include "reference/codec/ascii.hpp"
#include "reference/codec/base64.hpp"

namespace tigress::codec {
namespace {

constexpr std::string_view kScheme = kShareUrlScheme;
constexpr std::size_t kMaxHostLength = 253;  // RFC 1035 section 2.3.4, without the root dot
constexpr std::size_t kMaxLabelLength = 63;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = to_lower(c);
  return out;
}

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!is_digit(c)) return false;
  }
  return true;
}

// Decimal without sign or leading zeros, at most `max_digits` long; nullopt otherwise.
std::optional<long> canonical_decimal(std::string_view text, std::size_t max_digits) {
  if (!all_digits(text) || text.size() > max_digits || (text.size() > 1 && text[0] == '0')) {
    return std::nullopt;
  }
  long value = 0;
  for (char c : text) value = value * 10 + (c - '0');
  return value;
}

bool is_dotted_ipv4(std::string_view host) {
  int parts = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = host.find('.', start);
    const std::string_view part =
        host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    const auto value = canonical_decimal(part, 3);
    if (!value || *value > 255) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts == 4;
}

// WHATWG URL Standard "ends in a number": a last label of decimal digits or of "0x" plus hex
// digits makes browsers read the whole host as an IPv4 address (0x7f000001 is 127.0.0.1).
bool looks_numeric(std::string_view label) {
  if (all_digits(label)) return true;
  if (label.size() < 2 || label[0] != '0' || (label[1] != 'x' && label[1] != 'X')) return false;
  for (char c : label.substr(2)) {
    if (hex_value(c) < 0) return false;
  }
  return true;
}

// One spelling per IPv6 address, the URL Standard's: lower-case hex pieces without leading
// zeros, the first longest run of two or more zero pieces as "::", embedded IPv4 in hex. Two
// share URLs naming the same relay then compare equal, as they would in a browser.
std::string serialize_ipv6(const in6_addr& address) {
  unsigned pieces[8];
  for (int i = 0; i < 8; ++i) pieces[i] = (address.s6_addr[2 * i] << 8) | address.s6_addr[2 * i + 1];
  int best_start = -1, best_length = 1;
  for (int i = 0; i < 8;) {
    int j = i;
    while (j < 8 && pieces[j] == 0) ++j;
    if (j - i > best_length) {
      best_start = i;
      best_length = j - i;
    }
    i = j == i ? i + 1 : j;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      out += i == 0 ? "::" : ":";
      i += best_length - 1;
      continue;
    }
    std::string piece;
    for (unsigned v = pieces[i]; v != 0 || piece.empty(); v >>= 4) piece.insert(piece.begin(), kHex[v & 0xF]);
    out += piece;
    if (i < 7) out += ":";
  }
  return out;
}

// RFC 3986 reg-name restricted to what a TLS certificate can name: LDH labels (RFC 1123). An
// all-numeric last label is read as IPv4 instead, since WHATWG parsers would do so and a DNS
// name cannot end in one; anything numeric that is not a canonical dotted quad is refused.
Result<std::string> parse_host(std::string_view host) {
  if (host.empty()) return field_error("host", "missing");
  if (host.front() == '[') {
    if (host.back() != ']') return field_error("host", "IPv6 literal lacks its closing ']'");
    const std::string inner(host.substr(1, host.size() - 2));
    // Zone identifiers (RFC 6874) and IPvFuture are meaningless for a public relay.
    in6_addr address{};
    if (inner.find_first_not_of("0123456789abcdefABCDEF:.") != std::string::npos ||
        inet_pton(AF_INET6, inner.c_str(), &address) != 1) {
      return field_error("host", "not a valid IPv6 literal");
    }
    return "[" + serialize_ipv6(address) + "]";
  }
  if (host.size() > kMaxHostLength) return field_error("host", "longer than 253 characters");
  std::size_t start = 0;
  std::string_view last_label;
  while (true) {
    const std::size_t dot = host.find('.', start);
    const std::string_view label =
        host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty()) {
      return field_error("host", "empty label (leading, trailing or doubled '.')");
    }
    if (label.size() > kMaxLabelLength) {
      return field_error("host", "a label is longer than 63 characters");
    }
    for (char c : label) {
      if (!is_alpha(c) && !is_digit(c) && c != '-') {
        return field_error("host", c == '%' ? "percent-encoded host names are refused"
                                            : "only letters, digits, '-' and '.' are allowed");
      }
    }
    if (label.front() == '-' || label.back() == '-') {
      return field_error("host", "a label starts or ends with '-'");
    }
    last_label = label;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (looks_numeric(last_label) && !is_dotted_ipv4(host)) {
    return field_error("host", "numeric host is not a canonical dotted-quad IPv4 address");
  }
  // DNS names are case-insensitive; one canonical spelling keeps mailbox URLs comparable.
  return lower(host);
}

// RFC 3986 section 2.1. Used on the fragment only, where messaging apps are known to escape
// '+', '/' and '=' (AMB-45); everywhere else an escape means the URL is not one we issued.
Result<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) {
      return make_error("truncated percent-escape at offset " + std::to_string(i));
    }
    const int high = hex_value(text[i + 1]);
    const int low = hex_value(text[i + 2]);
    if (high < 0 || low < 0) {
      return make_error("malformed percent-escape at offset " + std::to_string(i));
    }
    out.push_back(static_cast<char>((high << 4) | low));
    i += 2;
  }
  return out;
}

Result<Secret> parse_secret(std::string_view fragment) {
  // No reason below quotes the fragment: it is the key, and errors end up in logs.
  auto decoded = percent_decode(fragment);
  if (!decoded) return field_error("fragment", decoded.error().reason);
  auto bytes = base64_decode_lenient(*decoded);
  if (!bytes) return field_error("fragment", "secret is not base64: " + bytes.error().reason);
  if (bytes->size() != 16 && bytes->size() != 32) {
    return field_error("fragment", "secret decodes to " + std::to_string(bytes->size()) +
                                       " octets; AES-GCM keys here are 16 or 32 (section 7.2)");
  }
  return Secret(std::move(*bytes));
}

Status parse_path(std::string_view path, ShareUrl& url) {
  // "/v{N}/m/{uuid}" exactly (section 7.3); no trailing slash, no dot segments, no escapes.
  if (path.size() < 2 || path.substr(0, 2) != "/v") {
    return field_error("path", "must be /v{ApiVersion}/m/{MailboxIdentifier}");
  }
  const std::size_t slash = path.find('/', 2);
  if (slash == std::string_view::npos) {
    return field_error("path", "must be /v{ApiVersion}/m/{MailboxIdentifier}");
  }
  const auto version = canonical_decimal(path.substr(2, slash - 2), 9);
  if (!version || *version == 0) {
    return field_error("path", "API version must be a positive integer without leading zeros");
  }
  const std::string_view rest = path.substr(slash);
  if (rest.size() < 3 || rest.substr(0, 3) != "/m/") {
    return field_error("path", "expected /m/ after the API version");
  }
  auto id = parse_uuid(rest.substr(3));
  if (!id) return field_error("path", "mailbox identifier: " + id.error().reason);
  url.api_version = static_cast<int>(*version);
  url.mailbox_id = *id;
  return {};
}

Result<ShareUrl> parse_url(std::string_view text, bool allow_query_and_fragment) {
  if (text.substr(0, kScheme.size()) != kScheme) {
    return field_error("scheme", "must start with \"https://\" (section 4.2)");
  }
  std::string_view rest = text.substr(kScheme.size());

  std::optional<std::string_view> fragment;
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) {
    fragment = rest.substr(hash + 1);
    rest = rest.substr(0, hash);
  }
  std::optional<std::string_view> query;
  if (const auto question = rest.find('?'); question != std::string_view::npos) {
    query = rest.substr(question + 1);
    rest = rest.substr(0, question);
  }
  if (!allow_query_and_fragment && (query || fragment)) {
    return field_error(query ? "query" : "fragment", "a mailbox URL carries neither query nor fragment (AMB-21)");
  }

  const std::size_t path_start = rest.find('/');
  if (path_start == std::string_view::npos) return field_error("path", "missing");
  std::string_view authority = rest.substr(0, path_start);
  const std::string_view path = rest.substr(path_start);

  ShareUrl url;
  // Userinfo would let "https://relay.example@evil.example/..." look like a relay URL.
  if (authority.find('@') != std::string_view::npos) {
    return field_error("userinfo", "credentials in the URL are refused");
  }
  // The port separator is the last ':' after any IPv6 literal's closing bracket.
  const std::size_t bracket = authority.rfind(']');
  const std::size_t colon = authority.find(':', bracket == std::string_view::npos ? 0 : bracket);
  if (colon != std::string_view::npos) {
    const auto port = canonical_decimal(authority.substr(colon + 1), 5);
    if (!port || *port < 1 || *port > 65535) {
      return field_error("port", "must be 1-65535 without leading zeros");
    }
    url.port = static_cast<std::uint16_t>(*port);
    authority = authority.substr(0, colon);
  }
  auto host = parse_host(authority);
  if (!host) return host.error();
  url.host = std::move(*host);

  if (auto status = parse_path(path, url); !status) return status.error();

  if (query) {
    if (*query == "v=a") {
      url.vertical = Vertical::kAccess;
    } else if (*query == "v=h") {
      url.vertical = Vertical::kHome;
    } else if (*query == "v=c") {
      url.vertical = Vertical::kCar;
    } else {
      return field_error("query", "must be absent or exactly v=a, v=h or v=c (section 7.3.1)");
    }
  }
  if (fragment) {
    auto secret = parse_secret(*fragment);
    if (!secret) return secret.error();
    url.secret = std::move(*secret);
  }
  return url;
}

}  // namespace

std::string ShareUrl::mailbox_url() const {
  std::string out(kScheme);
  out += host;
  if (port) out += ":" + std::to_string(*port);
  out += "/v" + std::to_string(api_version) + "/m/" + mailbox_id.to_string();
  return out;
}

std::string ShareUrl::without_fragment() const {
  std::string out = mailbox_url();
  if (vertical) {
    out += "?v=";
    out.push_back(static_cast<char>(*vertical));
  }
  return out;
}

std::string ShareUrl::to_string_with_secret() const {
  std::string out = without_fragment();
  if (secret) out += "#" + base64_encode(secret->reveal());
  return out;
}

Result<ShareUrl> parse_share_url(std::string_view text) { return parse_url(text, true); }

Result<ShareUrl> parse_mailbox_url(std::string_view text) { return parse_url(text, false); }

}  // namespace tigress::codec
