// The wire client's offline parts: response parsing fed in arbitrary pieces, target URLs and
// request serialisation.
#include "harness/http_parser.hpp"

#include <gtest/gtest.h>

#include "harness/wire_client.hpp"

namespace tigress::harness {
namespace {

using detail::ResponseParser;

struct Parsed {
  Status status;
  bool done = false;
  HttpResponse response;
};

// Feeds `wire` in pieces of `step` bytes, then reports EOF when `close` and not yet done.
Parsed parse(std::string_view wire, std::size_t step = 1, bool close = true, bool head = false,
             std::size_t max_header = 1024, std::size_t max_body = 1024) {
  ResponseParser parser(max_header, max_body, head);
  Parsed out;
  for (std::size_t at = 0; at < wire.size() && !parser.done(); at += step) {
    out.status = parser.feed(wire.substr(at, step));
    if (!out.status) return out;
  }
  if (close && !parser.done()) out.status = parser.finish();
  out.done = parser.done();
  out.response = parser.response();
  return out;
}

TEST(ResponseParser, ContentLengthBodyInAnyPieces) {
  const std::string wire = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
  for (std::size_t step : {1u, 3u, 1000u}) {
    auto p = parse(wire, step, false);
    ASSERT_TRUE(p.status.ok()) << p.status.error().message();
    ASSERT_TRUE(p.done);
    EXPECT_EQ(p.response.status, 200);
    EXPECT_EQ(p.response.reason, "OK");
    EXPECT_EQ(p.response.body, "{}");
    EXPECT_EQ(p.response.header("content-type"), "application/json");
    EXPECT_EQ(p.response.header_count("CONTENT-LENGTH"), 1u);
    EXPECT_FALSE(p.response.header("Missing"));
  }
}

TEST(ResponseParser, ChunkedBodyWithExtensionsAndTrailers) {
  const std::string wire =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 99\r\n\r\n"
      "5;name=value\r\nhello\r\n6 \r\n world\r\nA\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n";
  for (std::size_t step : {1u, 7u, 4096u}) {
    auto p = parse(wire, step, false);
    ASSERT_TRUE(p.status.ok()) << p.status.error().message();
    ASSERT_TRUE(p.done);
    EXPECT_EQ(p.response.body, "hello world0123456789");
  }
}

TEST(ResponseParser, MalformedChunkedIsAnError) {
  for (const char* body :
       {"zz\r\nhello\r\n0\r\n\r\n", "5\r\nhelloXX0\r\n\r\n", "5 x\r\nhello\r\n0\r\n\r\n", "fffffffffffffffff\r\n"}) {
    auto p = parse(std::string("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n") + body, 1, false);
    ASSERT_FALSE(p.status.ok()) << body;
    EXPECT_NE(p.status.error().reason.find("malformed"), std::string::npos) << p.status.error().reason;
  }
  auto cut = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel");
  ASSERT_FALSE(cut.status.ok());
  EXPECT_EQ(cut.status.error().reason, "connection closed inside the chunked body");
  auto endless = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;" + std::string(5000, 'x'), 4096);
  ASSERT_FALSE(endless.status.ok());
}

TEST(ResponseParser, BodyUntilCloseAndHttp10) {
  auto p = parse("HTTP/1.0 200 OK\r\nServer: x\r\n\r\nall of it", 2);
  ASSERT_TRUE(p.status.ok()) << p.status.error().message();
  EXPECT_EQ(p.response.body, "all of it");
  auto gzip = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nraw");
  ASSERT_TRUE(gzip.status.ok());
  EXPECT_EQ(gzip.response.body, "raw");
}

TEST(ResponseParser, NoBodyForHeadAnd204And304) {
  auto head = parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", 1, false, true);
  EXPECT_TRUE(head.done);
  EXPECT_EQ(head.response.body, "");
  for (const char* status : {"204 No Content", "304 Not Modified"}) {
    auto p = parse(std::string("HTTP/1.1 ") + status + "\r\nContent-Length: 5\r\n\r\n", 1, false);
    EXPECT_TRUE(p.done) << status;
  }
}

TEST(ResponseParser, SkipsInterimResponses) {
  auto p = parse(
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\n"
      "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n",
      5, false);
  ASSERT_TRUE(p.done);
  EXPECT_EQ(p.response.status, 201);
  EXPECT_EQ(p.response.headers.size(), 1u);
}

TEST(ResponseParser, BodyLimitTruncates) {
  auto over =
      parse("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + std::string(10, 'a'), 1000, false, false, 1024, 10);
  ASSERT_TRUE(over.done);  // announced more than the limit: done without waiting for the rest
  EXPECT_TRUE(over.response.body_truncated);
  EXPECT_EQ(over.response.body.size(), 10u);
  auto exact = parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n" + std::string(10, 'a'), 3, false, false, 1024, 10);
  ASSERT_TRUE(exact.done);
  EXPECT_FALSE(exact.response.body_truncated);
  auto chunked = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n12345678\r\n", 1,
                       false, false, 1024, 10);
  ASSERT_TRUE(chunked.done);
  EXPECT_TRUE(chunked.response.body_truncated);
  EXPECT_EQ(chunked.response.body, "1234567812");
}

TEST(ResponseParser, HeaderLimitIsEnforcedBeforeTheLineEnds) {
  auto p = parse("HTTP/1.1 200 OK\r\nX: " + std::string(2000, 'a'), 100, false);
  ASSERT_FALSE(p.status.ok());
  EXPECT_EQ(p.status.error().reason, "response header section exceeds 1024 bytes");
}

TEST(ResponseParser, RejectsMalformedHeads) {
  for (const char* wire :
       {"HTTP/2 200 OK\r\n\r\n", "HTTP/1.1 20 OK\r\n\r\n", "HTTP/1.1 200OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nNo colon\r\n\r\n", "HTTP/1.1 200 OK\r\nBad name: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\n folded first\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"}) {
    auto p = parse(wire, 1, false);
    EXPECT_FALSE(p.status.ok()) << wire;
  }
  auto tls_alert = parse("\x15\x03\x03\x00\x02\x02\x46", 1, false);
  ASSERT_FALSE(tls_alert.status.ok());
  EXPECT_EQ(tls_alert.status.error().reason.rfind("not an HTTP response: starts with \"\\x15", 0), 0u)
      << tls_alert.status.error().reason;
}

TEST(ResponseParser, ToleratesLenientButUnambiguousForms) {
  auto p = parse("HTTP/1.1 404\nX-A:  spaced \t\n  folded\nContent-Length: 3, 3\n\nabc", 1, false);
  ASSERT_TRUE(p.status.ok()) << p.status.error().message();
  EXPECT_EQ(p.response.status, 404);
  EXPECT_EQ(p.response.reason, "");
  EXPECT_EQ(p.response.header("X-A"), "spaced folded");
  EXPECT_EQ(p.response.body, "abc");
}

TEST(ResponseParser, EarlyCloseErrors) {
  EXPECT_EQ(parse("").status.error().reason, "connection closed by the target without a response");
  EXPECT_EQ(parse("HTTP/1.1 200 OK\r\n").status.error().reason, "connection closed inside the response header section");
  EXPECT_EQ(parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab").status.error().reason,
            "connection closed after 2 of 5 body bytes");
}

TEST(ParseTarget, AcceptsHostsPortsAndPrefixes) {
  auto plain = parse_target("https://relay.example");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->host, "relay.example");
  EXPECT_EQ(plain->port, 443);
  EXPECT_EQ(plain->base_path, "");
  EXPECT_EQ(plain->url(), "https://relay.example:443");

  auto full = parse_target("HTTPS://127.0.0.1:8443/tigress/api/");
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->host, "127.0.0.1");
  EXPECT_EQ(full->port, 8443);
  EXPECT_EQ(full->base_path, "/tigress/api");

  auto v6 = parse_target("https://[::1]:9000");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->url(), "https://[::1]:9000");
  EXPECT_TRUE(parse_target("https://[2001:db8::1]/").ok());
}

TEST(ParseTarget, RejectsEverythingElse) {
  for (const char* url : {"http://relay.example",
                          "ftp://x",
                          "relay.example",
                          "https://",
                          "https://user:pw@relay.example",
                          "https://relay.example/?q=1",
                          "https://relay.example/#frag",
                          "https://relay.example:0",
                          "https://relay.example:65536",
                          "https://relay.example:",
                          "https://relay.example:80x",
                          "https://::1",
                          "https://[::1",
                          "https://[::1]x",
                          "https://[not-v6]",
                          "https://[127.0.0.1]",
                          "https://re lay",
                          "https://relay.example/a b",
                          "https://relay.example/%zz",
                          "https://relay\r\nX: y"}) {
    EXPECT_FALSE(parse_target(url).ok()) << url;
  }
}

TEST(SerializeRequest, AddsHostLengthAndConnection) {
  Target target{"relay.example", 8443, ""};
  HttpRequest post;
  post.method = "POST";
  post.target = "/v1/m";
  post.headers = {{"Content-Type", "application/json"}, {"X-Dup", "1"}, {"X-Dup", "2"}};
  post.body = "{}";
  EXPECT_EQ(serialize_request(post, target),
            "POST /v1/m HTTP/1.1\r\nHost: relay.example:8443\r\nContent-Type: application/json\r\n"
            "X-Dup: 1\r\nX-Dup: 2\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");

  HttpRequest get;
  EXPECT_EQ(serialize_request(get, Target{"::1", 443, ""}),
            "GET / HTTP/1.1\r\nHost: [::1]\r\nConnection: close\r\n\r\n");

  HttpRequest empty_put;
  empty_put.method = "PUT";
  EXPECT_NE(serialize_request(empty_put, target).find("Content-Length: 0\r\n"), std::string::npos);
}

TEST(SerializeRequest, KeepsWhatTheCaseSetVerbatim) {
  HttpRequest odd;
  odd.method = "BREW";
  odd.target = "/v1/m/\xff";
  odd.version = "HTTP/1.0";
  odd.headers = {{"host", "elsewhere"}, {"connection", "keep-alive"}, {"Content-Length", "7"}};
  odd.body = "abc";
  EXPECT_EQ(serialize_request(odd, Target{"relay.example", 443, ""}),
            "BREW /v1/m/\xff HTTP/1.0\r\nhost: elsewhere\r\nconnection: keep-alive\r\nContent-Length: 7\r\n\r\nabc");
  HttpRequest no_length;
  no_length.method = "POST";
  no_length.body = "abc";
  no_length.add_content_length = false;
  EXPECT_EQ(serialize_request(no_length, Target{"h", 443, ""}).find("Content-Length"), std::string::npos);
}

}  // namespace
}  // namespace tigress::harness
