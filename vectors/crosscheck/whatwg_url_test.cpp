// Cross-check of the share URL parser against WHATWG's urltestdata.json (web-platform-tests,
// thirdparty/wpt-url): the parser never crashes on any input, never accepts what the URL
// Standard calls a failure, and agrees with it on host, port and path for every https URL it
// accepts. Share URLs need the path /v1/m/{uuid}, which no WHATWG input has, so the authority of
// each absolute http(s) input is also tried with that path (see derive()).
#include <fstream>
#include <optional>
#include <utility>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "reference/codec/share_url.hpp"

namespace tigress::codec {
namespace {

using nlohmann::json;

constexpr std::string_view kMailboxPath = "/v1/m/5b0c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4";

json load() {
  std::ifstream in(std::string(TIGRESS_THIRDPARTY_DIR) + "/wpt-url/urltestdata.json", std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return json::parse(buffer.str(), nullptr, false);
}

// WHATWG omits the scheme's default port (443): compare in that convention.
std::string whatwg_port(const ShareUrl& url) {
  return url.port && *url.port != 443 ? std::to_string(*url.port) : std::string();
}

struct Tally {
  int inputs = 0, accepted = 0, derived = 0, derived_accepted = 0;
};

// Checks one input against the entry's expectation; `path` is what WHATWG's pathname would be.
void check(const std::string& input, const json& entry, const std::string& path, bool derived, Tally& tally) {
  SCOPED_TRACE(input);
  auto parsed = parse_share_url(input);  // must simply return, whatever the input
  auto mailbox = parse_mailbox_url(input);
  (void)mailbox;
  if (!parsed) return;
  (derived ? tally.derived_accepted : tally.accepted)++;
  ASSERT_FALSE(entry.contains("failure")) << "accepted what the URL Standard refuses";
  ASSERT_EQ(entry.value("protocol", ""), "https:");
  EXPECT_EQ(parsed->host, entry.value("hostname", ""));
  EXPECT_EQ(whatwg_port(*parsed), entry.value("port", ""));
  EXPECT_EQ("/v" + std::to_string(parsed->api_version) + "/m/" + parsed->mailbox_id.to_string(), path);
}

// For an absolute http or https input the URL Standard parses without failure: its authority
// with the mailbox path appended, as https, and the entry with the port WHATWG would report for
// that https URL. Host parsing is the same for both special schemes and ends at '/', '?', '#'
// or '\\', so the entry's hostname stays the expectation. Inputs with whitespace or control
// characters are skipped: WHATWG strips those anywhere, which a path change could move.
std::optional<std::pair<std::string, json>> derive(const std::string& input, const json& entry) {
  if (entry.contains("failure")) return std::nullopt;
  const std::string protocol = entry.value("protocol", "");
  const std::string prefix = protocol == "https:" ? "https://" : protocol == "http:" ? "http://" : "";
  if (prefix.empty() || input.rfind(prefix, 0) != 0) return std::nullopt;
  for (unsigned char c : input) {
    if (c <= 0x20 || c == 0x7F) return std::nullopt;
  }
  const std::size_t end = input.find_first_of("/?#\\", prefix.size());
  const std::string authority =
      input.substr(prefix.size(), end == std::string::npos ? std::string::npos : end - prefix.size());
  json expected = entry;
  if (protocol == "http:") {
    const std::size_t bracket = authority.rfind(']');
    const bool explicit_port = authority.find(':', bracket == std::string::npos ? 0 : bracket) != std::string::npos;
    std::string port = entry.value("port", "");
    if (port.empty() && explicit_port) port = "80";  // http's default, written out
    if (port == "443") port.clear();                 // https's default
    expected["port"] = port;
    expected["protocol"] = "https:";
  }
  return std::make_pair("https://" + authority + std::string(kMailboxPath), expected);
}

TEST(WhatwgUrlCrossCheck, ShareUrlParserAgreesOnHostPortAndPath) {
  const json data = load();
  ASSERT_TRUE(data.is_array()) << "urltestdata.json missing or unreadable";
  Tally tally;
  for (const auto& entry : data) {
    if (!entry.is_object() || !entry.contains("input") || !entry["input"].is_string()) continue;
    const std::string input = entry["input"];
    ++tally.inputs;
    // Relative inputs resolve against a base; our parser takes only absolute URLs, so for them
    // only "never crashes, never accepts" is meaningful: check() asserts no acceptance of a
    // failure and, on acceptance, compares with the resolved result.
    check(input, entry, entry.value("pathname", ""), false, tally);
    auto derived = derive(input, entry);
    if (!derived) continue;
    ++tally.derived;
    check(derived->first, derived->second, std::string(kMailboxPath), true, tally);
  }
  // The data set is fixed (see its SOURCE.md); these floors make sure the test exercises it.
  EXPECT_GT(tally.inputs, 800);
  EXPECT_GT(tally.derived, 100);          // 150 with the stored data
  EXPECT_GT(tally.derived_accepted, 50);  // 93 with the stored data
  RecordProperty("inputs", tally.inputs);
  RecordProperty("derived", tally.derived);
  RecordProperty("derived_accepted", tally.derived_accepted);
  std::printf("urltestdata: %d inputs (%d accepted), %d derived share URLs (%d accepted)\n", tally.inputs,
              tally.accepted, tally.derived, tally.derived_accepted);
}

}  // namespace
}  // namespace tigress::codec
