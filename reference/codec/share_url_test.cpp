#include "reference/codec/share_url.hpp"

#include <sstream>
#include <vector>

#include <gtest/gtest.h>

#include "reference/codec/base64.hpp"

namespace tigress::codec {
namespace {

constexpr std::string_view kId = "98d80576-482e-427f-8434-7f86890ab222";
constexpr std::string_view kSecret16 = "hXlr6aRC7KgJpOLTNZaLsw==";  // Appendix A, V-ENC-1 key
const Bytes kKey16{0x85, 0x79, 0x6b, 0xe9, 0xa4, 0x42, 0xec, 0xa8, 0x09, 0xa4, 0xe2, 0xd3, 0x35, 0x96, 0x8b, 0xb3};

std::string url(std::string_view tail) { return "https://relay.test/v1/m/" + std::string(kId) + std::string(tail); }

ShareUrl parse_ok(std::string_view text) {
  auto result = parse_share_url(text);
  EXPECT_TRUE(result.ok()) << text << ": " << (result.ok() ? "" : result.error().message());
  return result.ok() ? *result : ShareUrl{};
}

void expect_rejected(std::string_view text, std::string_view field) {
  auto result = parse_share_url(text);
  ASSERT_FALSE(result.ok()) << "accepted " << text;
  EXPECT_EQ(result.error().field, field) << text << ": " << result.error().message();
}

TEST(ShareUrl, AppendixAExample) {
  const ShareUrl parsed = parse_ok(url(std::string("?v=c#") + std::string(kSecret16)));
  EXPECT_EQ(parsed.host, "relay.test");
  EXPECT_FALSE(parsed.port.has_value());
  EXPECT_EQ(parsed.api_version, 1);
  EXPECT_EQ(parsed.mailbox_id.to_string(), kId);
  ASSERT_TRUE(parsed.vertical.has_value());
  EXPECT_EQ(*parsed.vertical, Vertical::kCar);
  ASSERT_TRUE(parsed.secret.has_value());
  EXPECT_EQ(parsed.secret->reveal(), kKey16);
  EXPECT_EQ(parsed.mailbox_url(), url(""));
  EXPECT_EQ(parsed.without_fragment(), url("?v=c"));
  EXPECT_EQ(parsed.to_string_with_secret(), url(std::string("?v=c#") + std::string(kSecret16)));
}

TEST(ShareUrl, MinimalAndEachVertical) {
  const ShareUrl bare = parse_ok(url(""));
  EXPECT_FALSE(bare.vertical.has_value());
  EXPECT_FALSE(bare.secret.has_value());
  EXPECT_EQ(bare.to_string_with_secret(), url(""));
  EXPECT_EQ(*parse_ok(url("?v=a")).vertical, Vertical::kAccess);
  EXPECT_EQ(*parse_ok(url("?v=h")).vertical, Vertical::kHome);
  EXPECT_EQ(*parse_ok(url("?v=c")).vertical, Vertical::kCar);
}

TEST(ShareUrl, SecretNeverAppearsOutsideTheFullForm) {
  const ShareUrl parsed = parse_ok(url(std::string("?v=h#") + std::string(kSecret16)));
  for (const std::string& text : {parsed.mailbox_url(), parsed.without_fragment()}) {
    EXPECT_EQ(text.find('#'), std::string::npos) << text;
    EXPECT_EQ(text.find("hXlr6aRC"), std::string::npos) << text;
    EXPECT_EQ(text.find(base64url_encode_unpadded(kKey16)), std::string::npos) << text;
  }
  std::ostringstream printed;
  printed << *parsed.secret;
  EXPECT_EQ(printed.str().find("hXlr"), std::string::npos);
}

TEST(ShareUrl, PortsAreKeptAndChecked) {
  const ShareUrl with_port = parse_ok("https://relay.test:8443/v1/m/" + std::string(kId));
  EXPECT_EQ(with_port.port, std::optional<std::uint16_t>(8443));
  EXPECT_EQ(with_port.mailbox_url(), "https://relay.test:8443/v1/m/" + std::string(kId));
  EXPECT_EQ(parse_ok("https://relay.test:443/v1/m/" + std::string(kId)).port, std::optional<std::uint16_t>(443));
  EXPECT_EQ(parse_ok("https://relay.test:1/v1/m/" + std::string(kId)).port, std::optional<std::uint16_t>(1));
  EXPECT_EQ(parse_ok("https://relay.test:65535/v1/m/" + std::string(kId)).port, std::optional<std::uint16_t>(65535));
  for (const char* port :
       {":", ":0", ":65536", ":99999", ":08443", ":+443", ":-1", ":44a", ":443:443", ": 443", ":100000"}) {
    expect_rejected("https://relay.test" + std::string(port) + "/v1/m/" + std::string(kId), "port");
  }
}

TEST(ShareUrl, HostsAreNormalisedAndValidated) {
  EXPECT_EQ(parse_ok("https://Relay.Example.COM/v1/m/" + std::string(kId)).host, "relay.example.com");
  EXPECT_EQ(parse_ok("https://RELAY.TEST/v1/m/" + std::string(kId)).mailbox_url(), url(""));
  EXPECT_EQ(parse_ok("https://192.0.2.1/v1/m/" + std::string(kId)).host, "192.0.2.1");
  EXPECT_EQ(parse_ok("https://localhost/v1/m/" + std::string(kId)).host, "localhost");
  EXPECT_EQ(parse_ok("https://xn--bcher-kva.example/v1/m/" + std::string(kId)).host, "xn--bcher-kva.example");
  for (const char* host : {"", ".relay.test", "relay.test.", "relay..test", "-relay.test", "relay-.test", "relay_test",
                           "rel ay.test", "relay.test%2e", "r%65lay.test",
                           "b\xC3\xBC"
                           "cher.example",
                           "256.0.0.1", "1.2.3", "01.2.3.4", "1.2.3.4.5", "example.123", "0x7f.0.0.1"}) {
    expect_rejected("https://" + std::string(host) + "/v1/m/" + std::string(kId), "host");
  }
  expect_rejected("https://" + std::string(64, 'a') + ".test/v1/m/" + std::string(kId), "host");
  std::string long_host;
  for (int i = 0; i < 64; ++i) long_host += "abc.";
  long_host += "test";
  expect_rejected("https://" + long_host + "/v1/m/" + std::string(kId), "host");
}

TEST(ShareUrl, Ipv6Literals) {
  const ShareUrl v6 = parse_ok("https://[2001:DB8::1]:8443/v1/m/" + std::string(kId) + "?v=a");
  EXPECT_EQ(v6.host, "[2001:db8::1]");
  EXPECT_EQ(v6.port, std::optional<std::uint16_t>(8443));
  EXPECT_EQ(v6.without_fragment(), "https://[2001:db8::1]:8443/v1/m/" + std::string(kId) + "?v=a");
  EXPECT_EQ(parse_ok("https://[::1]/v1/m/" + std::string(kId)).host, "[::1]");
  EXPECT_FALSE(parse_ok("https://[::1]/v1/m/" + std::string(kId)).port.has_value());
  // The URL Standard's IPv6 serializer: no leading zeros, the first longest zero run as "::",
  // embedded IPv4 as hex pieces.
  EXPECT_EQ(parse_ok("https://[001:0db8::0008]/v1/m/" + std::string(kId)).host, "[1:db8::8]");
  EXPECT_EQ(parse_ok("https://[2001:db8:0:0:1:0:0:1]/v1/m/" + std::string(kId)).host, "[2001:db8::1:0:0:1]");
  EXPECT_EQ(parse_ok("https://[0:0:0:0:0:0:13.1.68.3]/v1/m/" + std::string(kId)).host, "[::d01:4403]");
  for (const char* host :
       {"[::1", "::1", "[]", "[::g]", "[1:2:3:4:5:6:7:8:9]", "[fe80::1%25eth0]", "[v1.abc]", "[::1]x"}) {
    auto result = parse_share_url("https://" + std::string(host) + "/v1/m/" + std::string(kId));
    EXPECT_FALSE(result.ok()) << host;
  }
}

TEST(ShareUrl, SchemeAndUserinfo) {
  expect_rejected("http://relay.test/v1/m/" + std::string(kId), "scheme");
  expect_rejected("HTTPS://relay.test/v1/m/" + std::string(kId), "scheme");
  expect_rejected("https:/relay.test/v1/m/" + std::string(kId), "scheme");
  expect_rejected("https:relay.test/v1/m/" + std::string(kId), "scheme");
  expect_rejected("//relay.test/v1/m/" + std::string(kId), "scheme");
  expect_rejected(" https://relay.test/v1/m/" + std::string(kId), "scheme");
  expect_rejected("ftp://relay.test/v1/m/" + std::string(kId), "scheme");
  expect_rejected("https://user@relay.test/v1/m/" + std::string(kId), "userinfo");
  expect_rejected("https://user:pw@relay.test/v1/m/" + std::string(kId), "userinfo");
  expect_rejected("https://relay.test@evil.example/v1/m/" + std::string(kId), "userinfo");
  expect_rejected("https://@relay.test/v1/m/" + std::string(kId), "userinfo");
}

TEST(ShareUrl, PathMustBeExact) {
  EXPECT_EQ(parse_ok("https://relay.test/v2/m/" + std::string(kId)).api_version, 2);
  EXPECT_EQ(parse_ok("https://relay.test/v12/m/" + std::string(kId)).api_version, 12);
  const std::string id(kId);
  const std::vector<std::string> paths = {"",
                                          "/",
                                          "/v1",
                                          "/v1/",
                                          "/v1/m",
                                          "/v1/m/",
                                          "/m/" + id,
                                          "/v0/m/" + id,
                                          "/v01/m/" + id,
                                          "/V1/m/" + id,
                                          "/v/m/" + id,
                                          "/v-1/m/" + id,
                                          "/v1x/m/" + id,
                                          "/v1/M/" + id,
                                          "/v1/m/" + id + "/",
                                          "/v1/m//" + id,
                                          "//v1/m/" + id,
                                          "/v1/mm/" + id,
                                          "/v1/./m/" + id,
                                          "/v1/m/" + id + "/x",
                                          "/v1/m/not-a-uuid",
                                          "/v1/m/" + id.substr(1),
                                          "/v1/m/%39" + id.substr(1),
                                          "/v1%2fm/" + id,
                                          "/v99999999999/m/" + id,
                                          "/v1/m/{" + id + "}"};
  for (const std::string& path : paths) {
    expect_rejected("https://relay.test" + path, "path");
  }
}

TEST(ShareUrl, PathIdentifierCaseIsNormalised) {
  const ShareUrl upper = parse_ok("https://relay.test/v1/m/98D80576-482E-427F-8434-7F86890AB222");
  EXPECT_EQ(upper.mailbox_url(), url(""));
}

TEST(ShareUrl, QueryValues) {
  for (const char* query : {"?", "?v=", "?v=x", "?v=A", "?v=C", "?v=ac", "?V=a", "?v=a&v=c", "?v=a&x=1", "?x=1&v=a",
                            "?x=1", "?v=%61", "?v%3Da", "?v=a&", "?&v=a", "?v=a;x=1", "?v= a"}) {
    expect_rejected(url(query), "query");
  }
}

TEST(ShareUrl, FragmentEncodingsDecodeToTheSameSecret) {
  // AMB-45: standard padded, standard unpadded, base64url, and percent-encoded forms.
  for (const char* fragment : {"#hXlr6aRC7KgJpOLTNZaLsw==", "#hXlr6aRC7KgJpOLTNZaLsw", "#hXlr6aRC7KgJpOLTNZaLsw%3D%3D",
                               "#hXlr6aRC7KgJpOLTNZaLsw%3d%3d"}) {
    const ShareUrl parsed = parse_ok(url(fragment));
    ASSERT_TRUE(parsed.secret.has_value()) << fragment;
    EXPECT_EQ(parsed.secret->reveal(), kKey16) << fragment;
    EXPECT_EQ(parsed.to_string_with_secret(), url(std::string("#") + std::string(kSecret16)));
  }
  const Bytes with_specials{0xFB, 0xFF, 0xBF, 0xFB, 0xFF, 0xBF, 0xFB, 0xFF,
                            0xBF, 0xFB, 0xFF, 0xBF, 0xFB, 0xFF, 0xBF, 0x00};
  for (const char* fragment :
       {"#+/+/+/+/+/+/+/+/+/+/AA==", "#-_-_-_-_-_-_-_-_-_-_AA", "#%2B%2F+/+/+/+/+/+/+/+/+/AA%3D%3D"}) {
    const ShareUrl parsed = parse_ok(url(fragment));
    ASSERT_TRUE(parsed.secret.has_value()) << fragment;
    EXPECT_EQ(parsed.secret->reveal(), with_specials) << fragment;
  }
}

TEST(ShareUrl, FragmentSizes) {
  const Bytes key32(32, 0xAB);
  const ShareUrl parsed = parse_ok(url("#" + base64_encode(key32)));
  ASSERT_TRUE(parsed.secret.has_value());
  EXPECT_EQ(parsed.secret->reveal(), key32);
  for (std::size_t size : {0U, 1U, 15U, 17U, 24U, 31U, 33U, 64U}) {
    expect_rejected(url("#" + base64_encode(Bytes(size, 0x11))), "fragment");
  }
}

TEST(ShareUrl, MalformedFragments) {
  for (const char* fragment : {"#", "#hXlr6aRC7KgJpOLTNZaLsw=", "#hXlr6aRC7KgJpOLTNZaLs",
                               "#hXlr6aRC7KgJpOLT NZaLsw==", "#hXlr6aRC7KgJpOLT-ZaL/w==", "#hXlr6aRC7KgJpOLTNZaLsw%3",
                               "#hXlr6aRC7KgJpOLTNZaLsw%", "#hXlr6aRC7KgJpOLTNZaLsw%zz", "#hXlr6aRC7KgJpOLTNZaLsw==#x",
                               "#hXlr6aRC7KgJpOLTNZaLsx=="}) {
    expect_rejected(url(fragment), "fragment");
  }
}

TEST(ShareUrl, FragmentErrorsDoNotLeakTheSecret) {
  auto result = parse_share_url(url("#hXlr6aRC7KgJpOLT!ZaLsw=="));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message().find("hXlr"), std::string::npos) << result.error().message();
}

TEST(ShareUrl, MailboxUrlRefusesQueryAndFragment) {
  auto plain = parse_mailbox_url(url(""));
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->mailbox_url(), url(""));
  EXPECT_EQ(parse_mailbox_url(url("?v=c")).error().field, "query");
  EXPECT_EQ(parse_mailbox_url(url("#hXlr6aRC7KgJpOLTNZaLsw==")).error().field, "fragment");
  EXPECT_EQ(parse_mailbox_url(url("?")).error().field, "query");
  EXPECT_EQ(parse_mailbox_url(url("#")).error().field, "fragment");
}

TEST(ShareUrl, RoundTripThroughToStringWithSecret) {
  ShareUrl original;
  original.host = "relay.example";
  original.port = 4433;
  original.api_version = 1;
  original.mailbox_id = parse_uuid(kId).value();
  original.vertical = Vertical::kHome;
  original.secret = Secret(Bytes(32, 0x5A));
  const ShareUrl back = parse_ok(original.to_string_with_secret());
  EXPECT_EQ(back.host, original.host);
  EXPECT_EQ(back.port, original.port);
  EXPECT_EQ(back.mailbox_id, original.mailbox_id);
  EXPECT_EQ(back.vertical, original.vertical);
  EXPECT_EQ(back.secret, original.secret);
}

TEST(ShareUrl, ControlCharactersAndWhitespaceAreRefused) {
  for (const std::string& text :
       {url("") + " ", url("") + "\n", url("?v=c") + "\t", "https://relay.test/v1/m/ " + std::string(kId),
        std::string("https://relay.test\0/v1/m/", 25) + std::string(kId)}) {
    EXPECT_FALSE(parse_share_url(text).ok()) << text;
  }
}

}  // namespace
}  // namespace tigress::codec
