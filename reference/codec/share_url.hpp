// Share URLs (draft-vinokurov-tigress-http-00 section 7.3):
//   https://{host}[:{port}]/v{ApiVersion}/m/{MailboxIdentifier}[?v={vertical}][#{Secret}]
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "reference/codec/secret.hpp"
#include "reference/codec/uuid.hpp"
#include "common/result.hpp"

namespace tigress::codec {

// The only scheme of share and mailbox URLs (sections 4.2, 7.3): TLS only, spelt in lower case.
inline constexpr std::string_view kShareUrlScheme = "https://";

// Credential verticals of section 7.3.1: access (a), home (h), car (c). Absent = general access.
enum class Vertical : char { kAccess = 'a', kHome = 'h', kCar = 'c' };

struct ShareUrl {
  std::string host;                   // lower-case DNS name, dotted IPv4, or "[v6]" literal
  std::optional<std::uint16_t> port;  // absent when the URL names none
  int api_version = 1;                // the N of "/vN/"; only 1 exists today
  Uuid mailbox_id;
  std::optional<Vertical> vertical;
  std::optional<Secret> secret;  // decoded fragment; absent when the URL has no fragment

  // "https://host[:port]/v1/m/{id}": the address the API calls go to (no query, no fragment).
  std::string mailbox_url() const;
  // The share URL with the fragment stripped (query kept), as a recipient may fetch it
  // (section 8.2.1: the fragment MUST NOT be sent to the relay).
  std::string without_fragment() const;
  // The complete share URL including "#secret" (standard base64, padded: AMB-45). Only the
  // initiator that hands the URL to the user calls this.
  std::string to_string_with_secret() const;
};

// Strict parser: scheme exactly "https", no userinfo, host as above, optional port 1-65535
// without leading zeros, path exactly "/v{N}/m/{uuid}" with N a positive integer without leading
// zeros, query absent or exactly "v=a", "v=h" or "v=c", fragment absent or a secret that decodes
// (base64_decode_lenient) to 16 or 32 bytes. Anything else is an Error naming the component.
Result<ShareUrl> parse_share_url(std::string_view text);

// Parses a mailbox URL as the relay returns it in urlLink (no query, no fragment).
Result<ShareUrl> parse_mailbox_url(std::string_view text);

}  // namespace tigress::codec
