// Property-based tests (RapidCheck) of every codec: builders and parsers round-trip, every
// accepted input is one a builder can produce (so parsing never invents a second spelling that
// means something else), and no input crashes a parser. The example-based tests beside this file
// pin the exact error messages; these look for inputs nobody thought of.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "reference/codec/base64.hpp"
#include "reference/codec/bodies.hpp"
#include "reference/codec/provisioning.hpp"
#include "reference/codec/share_url.hpp"
#include "reference/codec/timestamp.hpp"
#include "reference/codec/uuid.hpp"

namespace tigress::codec {
namespace {

constexpr UnixSeconds kEarliest = -62135596800;  // 0001-01-01T00:00:00Z
constexpr UnixSeconds kLatest = 253402300799;    // 9999-12-31T23:59:59Z

// ---- generators -------------------------------------------------------------------------

rc::Gen<Bytes> bytes_gen() { return rc::gen::arbitrary<Bytes>(); }

// Code points from every UTF-8 length class, controls and NUL included (JSON escapes them),
// surrogates excluded (they cannot be encoded).
rc::Gen<std::uint32_t> code_point_gen() {
  return rc::gen::weightedOneOf<std::uint32_t>({
      {8, rc::gen::inRange<std::uint32_t>(0x20, 0x7F)},
      {1, rc::gen::inRange<std::uint32_t>(0x00, 0x20)},
      {1, rc::gen::inRange<std::uint32_t>(0x80, 0x800)},
      {1, rc::gen::inRange<std::uint32_t>(0x800, 0xD800)},
      {1, rc::gen::inRange<std::uint32_t>(0xE000, 0x10000)},
      {1, rc::gen::inRange<std::uint32_t>(0x10000, 0x110000)},
  });
}

std::string encode_utf8(const std::vector<std::uint32_t>& code_points) {
  std::string out;
  for (std::uint32_t c : code_points) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

rc::Gen<std::string> utf8_gen() {
  return rc::gen::map(rc::gen::container<std::vector<std::uint32_t>>(code_point_gen()), &encode_utf8);
}

// Strings drawn mostly from `alphabet`, so that parsers of that syntax accept some of them.
rc::Gen<std::string> text_over(std::string alphabet) {
  return rc::gen::container<std::string>(rc::gen::weightedOneOf<char>({
      {9, rc::gen::elementOf(alphabet)},
      {1, rc::gen::character<char>()},
  }));
}

// One edit of `text` at a generated position: substitute, insert or delete a character of
// `alphabet`. Models the typo, the truncation and the hostile byte.
std::string mutate(std::string text, const std::string& alphabet) {
  const int kind = *rc::gen::inRange(0, 3);
  const std::size_t limit = text.size() + (kind == 1 ? 1 : 0);
  if (limit == 0) return text;
  const std::size_t at = *rc::gen::inRange<std::size_t>(0, limit);
  const char c = *rc::gen::elementOf(alphabet);
  if (kind == 0 && at < text.size()) text[at] = c;
  if (kind == 1) text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), c);
  if (kind == 2 && at < text.size()) text.erase(at, 1);
  return text;
}

std::string to_lower(std::string text) {
  for (char& c : text) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return text;
}

std::string to_upper(std::string text) {
  for (char& c : text) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  return text;
}

// ---- base64 -----------------------------------------------------------------------------

const std::string kBase64Chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ %\n";

std::string swap_to_url_alphabet(std::string text) {
  std::replace(text.begin(), text.end(), '+', '-');
  std::replace(text.begin(), text.end(), '/', '_');
  return text;
}

std::string strip_padding(std::string text) {
  while (!text.empty() && text.back() == '=') text.pop_back();
  return text;
}

RC_GTEST_PROP(Base64Properties, RoundTripsInEveryAcceptedSpelling, ()) {
  const Bytes data = *bytes_gen();
  const std::string text = base64_encode(data);
  RC_ASSERT(text.size() == (data.size() + 2) / 3 * 4);
  RC_ASSERT(base64_decode(text).ok());
  RC_ASSERT(*base64_decode(text) == data);
  for (const std::string& spelling :
       {text, strip_padding(text), swap_to_url_alphabet(text), base64url_encode_unpadded(data)}) {
    auto decoded = base64_decode_lenient(spelling);
    RC_ASSERT(decoded.ok());
    RC_ASSERT(*decoded == data);
  }
}

RC_GTEST_PROP(Base64Properties, StrictDecoderAcceptsOnlyTheCanonicalEncoding, ()) {
  const bool from_valid = *rc::gen::arbitrary<bool>();
  const std::string text = from_valid ? mutate(base64_encode(*bytes_gen()), kBase64Chars) : *text_over(kBase64Chars);
  auto decoded = base64_decode(text);
  if (decoded) RC_ASSERT(base64_encode(*decoded) == text);
}

RC_GTEST_PROP(Base64Properties, LenientDecoderAcceptsOnlyTheFourSpellings, ()) {
  const bool from_valid = *rc::gen::arbitrary<bool>();
  const std::string text = from_valid ? mutate(base64_encode(*bytes_gen()), kBase64Chars) : *text_over(kBase64Chars);
  auto decoded = base64_decode_lenient(text);
  if (!decoded) return;
  const std::string canonical = base64_encode(*decoded);
  const std::vector<std::string> spellings = {canonical, strip_padding(canonical), swap_to_url_alphabet(canonical),
                                              strip_padding(swap_to_url_alphabet(canonical))};
  RC_ASSERT(std::find(spellings.begin(), spellings.end(), text) != spellings.end());
}

// ---- UUID -------------------------------------------------------------------------------

const std::string kUuidChars = "0123456789abcdefABCDEF-xg{} ";

RC_GTEST_PROP(UuidProperties, TextFormRoundTripsInEitherCase, ()) {
  Uuid uuid;
  const Bytes raw = *rc::gen::container<Bytes>(16, rc::gen::arbitrary<std::uint8_t>());
  std::copy(raw.begin(), raw.end(), uuid.bytes.begin());
  const std::string text = uuid.to_string();
  RC_ASSERT(text == to_lower(text));
  RC_ASSERT(parse_uuid(text).ok());
  RC_ASSERT(*parse_uuid(text) == uuid);
  RC_ASSERT(*parse_uuid(to_upper(text)) == uuid);
}

RC_GTEST_PROP(UuidProperties, ParserAcceptsOnlyTheCanonicalFormUpToCase, ()) {
  auto fresh = generate_uuid_v4();
  RC_ASSERT(fresh.ok());
  const bool from_valid = *rc::gen::arbitrary<bool>();
  const std::string text = from_valid ? mutate(fresh->to_string(), kUuidChars) : *text_over(kUuidChars);
  auto parsed = parse_uuid(text);
  if (parsed) RC_ASSERT(parsed->to_string() == to_lower(text));
  auto v4 = parse_uuid_v4(text);
  if (v4) RC_ASSERT(v4->version() == 4 && v4->is_rfc_variant());
}

TEST(UuidProperties, GeneratedIdentifiersAreVersion4AndDistinct) {
  std::vector<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    auto uuid = generate_uuid_v4();
    ASSERT_TRUE(uuid.ok());
    ASSERT_EQ(uuid->version(), 4);
    ASSERT_TRUE(uuid->is_rfc_variant());
    ASSERT_TRUE(parse_uuid_v4(uuid->to_string()).ok());
    seen.push_back(uuid->to_string());
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(std::adjacent_find(seen.begin(), seen.end()), seen.end());
}

// ---- timestamps -------------------------------------------------------------------------

const std::string kTimeChars = "0123456789TZtz:-+. ";

rc::Gen<UnixSeconds> instant_gen() { return rc::gen::inRange<UnixSeconds>(kEarliest, kLatest + 1); }

RC_GTEST_PROP(TimestampProperties, StrictFormRoundTrips, ()) {
  const UnixSeconds t = *instant_gen();
  const std::string text = format_timestamp(t);
  RC_ASSERT(text.size() == 20u);
  RC_ASSERT(*parse_timestamp_strict(text) == t);
  RC_ASSERT(*parse_rfc3339(text) == t);
}

RC_GTEST_PROP(TimestampProperties, Rfc3339VariantsMeanTheSameInstant, ()) {
  const UnixSeconds t = *instant_gen();
  const int offset_minutes = *rc::gen::inRange(-23 * 60 - 59, 23 * 60 + 60);
  const UnixSeconds local = t + offset_minutes * 60;
  RC_PRE(local >= kEarliest && local <= kLatest);
  // The wall-clock time at that offset, written with the offset instead of Z.
  std::string text = format_timestamp(local);
  text.pop_back();
  const int magnitude = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  const char sign = offset_minutes < 0 ? '-' : '+';
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "%c%02d:%02d", sign, magnitude / 60, magnitude % 60);
  RC_ASSERT(*parse_rfc3339(text + suffix) == t);
  // Fractions are truncated toward the past; lower-case t and z are the same letters.
  std::string fraction = format_timestamp(t);
  fraction.insert(19, "." + std::to_string(*rc::gen::inRange(0, 1000000)));
  RC_ASSERT(*parse_rfc3339(fraction) == t);
  RC_ASSERT(*parse_rfc3339(to_lower(format_timestamp(t))) == t);
  RC_ASSERT(!parse_timestamp_strict(text + suffix).ok() || offset_minutes == 0);
}

RC_GTEST_PROP(TimestampProperties, ParsersAcceptOnlyRepresentableInstants, ()) {
  const bool from_valid = *rc::gen::arbitrary<bool>();
  const std::string text = from_valid ? mutate(format_timestamp(*instant_gen()), kTimeChars) : *text_over(kTimeChars);
  if (auto strict = parse_timestamp_strict(text)) RC_ASSERT(format_timestamp(*strict) == text);
  if (auto any = parse_rfc3339(text)) {
    RC_ASSERT(*any >= kEarliest && *any <= kLatest);
    RC_ASSERT(*parse_timestamp_strict(format_timestamp(*any)) == *any);
  }
}

// ---- share URLs -------------------------------------------------------------------------

rc::Gen<std::string> host_gen() {
  const auto label = rc::gen::map(
      rc::gen::container<std::string>(rc::gen::elementOf(std::string("abcdefghijklmnopqrstuvwxyz0123456789-"))),
      [](std::string text) {
        // Labels are 1-63 LDH characters without a leading or trailing hyphen.
        if (text.size() > 61) text.resize(61);
        if (text.empty() || text.front() == '-') text.insert(text.begin(), 'a');
        if (text.back() == '-') text.push_back('z');
        return text;
      });
  const auto dns =
      rc::gen::map(rc::gen::container<std::vector<std::string>>(label), [](std::vector<std::string> labels) {
        std::string host;
        for (const auto& l : labels) {
          if (host.size() + l.size() + 1 > 240) break;  // 253 characters at most with ".example"
          host += (host.empty() ? "" : ".") + l;
        }
        // A numeric last label would read as IPv4; a letter keeps it a name.
        return host.empty() ? std::string("relay.example") : host + ".example";
      });
  const auto ipv4 = rc::gen::map(rc::gen::container<std::vector<int>>(4, rc::gen::inRange(0, 256)),
                                 [](const std::vector<int>& parts) {
                                   return std::to_string(parts[0]) + "." + std::to_string(parts[1]) + "." +
                                          std::to_string(parts[2]) + "." + std::to_string(parts[3]);
                                 });
  return rc::gen::oneOf(dns, ipv4, rc::gen::element<std::string>("[::1]", "[2001:db8::8]", "localhost"));
}

ShareUrl share_url_value() {
  ShareUrl url;
  url.host = *host_gen();
  if (*rc::gen::arbitrary<bool>()) url.port = *rc::gen::inRange<std::uint16_t>(1, 65535);
  url.api_version = *rc::gen::inRange(1, 1000);
  const Bytes raw = *rc::gen::container<Bytes>(16, rc::gen::arbitrary<std::uint8_t>());
  std::copy(raw.begin(), raw.end(), url.mailbox_id.bytes.begin());
  const int vertical = *rc::gen::inRange(0, 4);
  if (vertical > 0) url.vertical = vertical == 1 ? Vertical::kAccess : vertical == 2 ? Vertical::kHome : Vertical::kCar;
  if (*rc::gen::arbitrary<bool>()) {
    const std::size_t size = *rc::gen::element(std::size_t{16}, std::size_t{32});
    url.secret = Secret(*rc::gen::container<Bytes>(size, rc::gen::arbitrary<std::uint8_t>()));
  }
  return url;
}

void assert_same_url(const ShareUrl& a, const ShareUrl& b) {
  RC_ASSERT(a.host == b.host);
  RC_ASSERT(a.port == b.port);
  RC_ASSERT(a.api_version == b.api_version);
  RC_ASSERT(a.mailbox_id == b.mailbox_id);
  RC_ASSERT(a.vertical == b.vertical);
  RC_ASSERT(a.secret == b.secret);
}

RC_GTEST_PROP(ShareUrlProperties, BuiltUrlsParseBackToTheSameParts, ()) {
  const ShareUrl url = share_url_value();
  auto parsed = parse_share_url(url.to_string_with_secret());
  RC_ASSERT(parsed.ok());
  assert_same_url(*parsed, url);
  auto mailbox = parse_mailbox_url(url.mailbox_url());
  RC_ASSERT(mailbox.ok());
  RC_ASSERT(mailbox->mailbox_id == url.mailbox_id && !mailbox->secret && !mailbox->vertical);
  auto stripped = parse_share_url(url.without_fragment());
  RC_ASSERT(stripped.ok());
  RC_ASSERT(!stripped->secret && stripped->vertical == url.vertical);
}

RC_GTEST_PROP(ShareUrlProperties, AcceptedUrlsAreOnesTheBuilderProduces, ()) {
  static const std::string kUrlChars = "abcdefxyzABCDEF0123456789:/?#=.-_+%@[]v&;' \"<>\\";
  std::string text = share_url_value().to_string_with_secret();
  const int edits = *rc::gen::inRange(1, 4);
  for (int i = 0; i < edits; ++i) text = mutate(text, kUrlChars);
  auto parsed = parse_share_url(text);
  if (!parsed) return;
  auto again = parse_share_url(parsed->to_string_with_secret());
  RC_ASSERT(again.ok());
  assert_same_url(*again, *parsed);
  // A mailbox URL has one spelling up to letter case (host names and UUIDs are case-blind) and
  // the IPv6 literal, which is re-spelt the URL Standard's way: [001:db8::8] as [1:db8::8].
  if (auto mailbox = parse_mailbox_url(text)) {
    std::string expected = to_lower(text);
    if (mailbox->host.front() == '[') {
      const std::size_t open = expected.find('[');
      const std::size_t close = expected.find(']');
      RC_ASSERT(open != std::string::npos && close != std::string::npos);
      expected.replace(open, close - open + 1, mailbox->host);
    }
    RC_ASSERT(mailbox->mailbox_url() == expected);
  }
}

// ---- bodies -----------------------------------------------------------------------------

Payload payload_value() { return {*utf8_gen(), *utf8_gen()}; }
DisplayInformation display_value() { return {*utf8_gen(), *utf8_gen(), *utf8_gen()}; }
std::optional<NotificationToken> token_value() {
  if (!*rc::gen::arbitrary<bool>()) return std::nullopt;
  return NotificationToken{*utf8_gen(), *utf8_gen()};
}
AccessRights rights_value() {
  AccessRights rights{*rc::gen::arbitrary<bool>(), *rc::gen::arbitrary<bool>(), *rc::gen::arbitrary<bool>()};
  RC_PRE(rights.read || rights.write || rights.remove);
  return rights;
}

CreateMailboxRequest create_value() {
  CreateMailboxRequest request{payload_value(), display_value(), token_value(), std::nullopt};
  if (*rc::gen::arbitrary<bool>()) {
    MailboxConfiguration config;
    config.expiration = *instant_gen();
    if (*rc::gen::arbitrary<bool>()) config.access_rights = rights_value();
    request.mailbox_configuration = config;
  }
  return request;
}

// parse(dump(to_json(value))) gives the value back; a refusal is reported as the parser's error.
template <class T, class Parse>
void assert_round_trip(const T& value, Parse parse) {
  auto parsed = parse(dump_json(to_json(value)));
  if (!parsed) RC_FAIL("refused what the builder produced: " + parsed.error().message());
  RC_ASSERT(*parsed == value);
}

RC_GTEST_PROP(BodyProperties, EveryBodyRoundTripsThroughJson, ()) {
  assert_round_trip(create_value(), &parse_create_request);
  assert_round_trip(UpdateMailboxRequest{payload_value(), token_value()}, &parse_update_request);
  assert_round_trip(ReadSecureContentRequest{token_value()}, &parse_read_request);
  // The parser refuses a urlLink that is not https or has a fragment (MBX-CREATE-03, AMB-21), so
  // the builder is given an https link with anything but '#' after the scheme.
  std::string after_scheme = *utf8_gen();
  std::erase(after_scheme, '#');
  assert_round_trip(CreateMailboxResponse{"https://" + after_scheme, *rc::gen::arbitrary<bool>()},
                    &parse_create_response);
  assert_round_trip(UpdateMailboxResponse{*rc::gen::arbitrary<bool>()}, &parse_update_response);
  assert_round_trip(ReadSecureContentResponse{payload_value(), display_value(), *instant_gen()}, &parse_read_response);
  const AccessRights rights = rights_value();
  auto parsed = parse_access_rights(rights.to_string());
  RC_ASSERT(parsed.ok());
  RC_ASSERT(*parsed == rights);
}

// Any JSON value, small, to replace a member with.
rc::Gen<nlohmann::json> json_value_gen() {
  return rc::gen::oneOf(rc::gen::map(utf8_gen(), [](std::string s) { return nlohmann::json(std::move(s)); }),
                        rc::gen::map(rc::gen::arbitrary<int>(), [](int n) { return nlohmann::json(n); }),
                        rc::gen::map(rc::gen::arbitrary<bool>(), [](bool b) { return nlohmann::json(b); }),
                        rc::gen::just(nlohmann::json(nullptr)), rc::gen::just(nlohmann::json::object()),
                        rc::gen::just(nlohmann::json::array()),
                        rc::gen::element<nlohmann::json>("RWD", "rw", "", "2030-01-01T00:00:00+01:00", "2030-01-01"));
}

// Replaces, removes or adds one member somewhere in `body` (at most two levels deep).
void mutate_json(nlohmann::json& body) {
  nlohmann::json* target = &body;
  if (*rc::gen::arbitrary<bool>()) {
    std::vector<std::string> objects;
    for (auto& [key, value] : body.items()) {
      if (value.is_object()) objects.push_back(key);
    }
    if (!objects.empty()) target = &body[*rc::gen::elementOf(objects)];
  }
  std::vector<std::string> keys;
  for (auto& [key, value] : target->items()) keys.push_back(key);
  const int kind = *rc::gen::inRange(0, 3);
  if (kind == 0 && !keys.empty()) (*target)[*rc::gen::elementOf(keys)] = *json_value_gen();
  if (kind == 1 && !keys.empty()) target->erase(*rc::gen::elementOf(keys));
  if (kind == 2) {
    (*target)[*rc::gen::element<std::string>("x-extension", "accessRights", "expiration", "notificationToken",
                                             "mailboxConfiguration", "tokenData", "payload")] = *json_value_gen();
  }
}

RC_GTEST_PROP(BodyProperties, ParsersAcceptOnlyWhatBuildersProduce, ()) {
  nlohmann::json create = to_json(create_value());
  mutate_json(create);
  if (auto parsed = parse_create_request(dump_json(create))) {
    RC_ASSERT(*parse_create_request(dump_json(to_json(*parsed))) == *parsed);
  }
  nlohmann::json update = to_json(UpdateMailboxRequest{payload_value(), token_value()});
  mutate_json(update);
  if (auto parsed = parse_update_request(dump_json(update))) {
    RC_ASSERT(*parse_update_request(dump_json(to_json(*parsed))) == *parsed);
  }
  nlohmann::json content = to_json(ReadSecureContentResponse{payload_value(), display_value(), *instant_gen()});
  mutate_json(content);
  if (auto parsed = parse_read_response(dump_json(content))) {
    RC_ASSERT(*parse_read_response(dump_json(to_json(*parsed))) == *parsed);
  }
}

RC_GTEST_PROP(BodyProperties, ArbitraryBytesNeverCrashAParser, (const std::string& bytes)) {
  // Only "does not crash, does not throw": the answers themselves are pinned elsewhere.
  (void)parse_create_request(bytes);
  (void)parse_update_request(bytes);
  (void)parse_read_request(bytes);
  (void)parse_create_response(bytes);
  (void)parse_update_response(bytes);
  (void)parse_read_response(bytes);
  (void)parse_provisioning_info(bytes);
  (void)parse_share_url(bytes);
  (void)parse_rfc3339(bytes);
  (void)base64_decode_lenient(bytes);
  (void)parse_uuid(bytes);
  (void)parse_access_rights(bytes);
}

// ---- Provisioning Information -----------------------------------------------------------

RC_GTEST_PROP(ProvisioningProperties, RoundTripsAndAcceptsOnlyBuildableDocuments, ()) {
  ProvisioningInfo info;
  info.format = *rc::gen::nonEmpty(utf8_gen());
  info.content = nlohmann::json::object();
  for (int i = *rc::gen::inRange(0, 4); i > 0; --i) info.content[*utf8_gen()] = *json_value_gen();
  info.extensions = nlohmann::json::object();
  if (*rc::gen::arbitrary<bool>()) info.extensions["x-" + *utf8_gen()] = *json_value_gen();
  const std::string text = serialize_provisioning_info(info);
  auto parsed = parse_provisioning_info(text);
  RC_ASSERT(parsed.ok());
  RC_ASSERT(parsed->format == info.format);
  RC_ASSERT(parsed->content == info.content);
  RC_ASSERT(parsed->extensions == info.extensions);

  nlohmann::json mutated = nlohmann::json::parse(text);
  mutate_json(mutated);
  if (auto accepted = parse_provisioning_info(mutated.dump())) {
    auto again = parse_provisioning_info(serialize_provisioning_info(*accepted));
    RC_ASSERT(again.ok());
    RC_ASSERT(again->format == accepted->format && again->content == accepted->content);
  }
}

}  // namespace
}  // namespace tigress::codec
