// Share URL parser (reference/codec/share_url.hpp). Invariants: whatever parses round-trips
// through to_string_with_secret() to an equal value, and the fragment-free renderings
// (mailbox_url, without_fragment) never carry a fragment: the secret must not leak to the relay.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_input.hpp"
#include "reference/codec/share_url.hpp"

namespace {

using tigress::codec::ShareUrl;
using tigress::fuzz::require;

bool same(const ShareUrl& a, const ShareUrl& b) {
  return a.host == b.host && a.port == b.port && a.api_version == b.api_version && a.mailbox_id == b.mailbox_id &&
         a.vertical == b.vertical && a.secret == b.secret;
}

void check(const ShareUrl& url, bool share) {
  require(url.mailbox_url().find('#') == std::string::npos);
  require(url.without_fragment().find('#') == std::string::npos);
  const std::string again = url.to_string_with_secret();
  auto reparsed = share ? tigress::codec::parse_share_url(again) : tigress::codec::parse_mailbox_url(again);
  require(reparsed.ok());
  require(same(url, *reparsed));
  // The printed form is canonical: printing the reparsed value changes nothing.
  require(reparsed->to_string_with_secret() == again);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto url = tigress::codec::parse_share_url(text)) check(*url, true);
  if (auto url = tigress::codec::parse_mailbox_url(text)) check(*url, false);
  return 0;
}
