// The gateway flags, the shared request schedule of --rate and the Retry-After values, without
// any network: parsing and arithmetic only.
#include "harness/connection_flags.hpp"

#include <gtest/gtest.h>

#include "harness/raw_server_test_support.hpp"
#include "harness/retry_after.hpp"
#include "reference/tls/tls_material.hpp"

namespace tigress::harness {
namespace {

using namespace std::chrono_literals;

Result<bool> take(std::vector<std::string> args, ConnectionOptions& options) {
  std::size_t i = 0;
  auto taken = take_connection_flag(args, i, options);
  if (taken && *taken) {
    EXPECT_EQ(i, args.size() - 1) << "the value must be consumed";
  }
  return taken;
}

TEST(ConnectionFlags, HeadersAreParsedTrimmedAndValidated) {
  ConnectionOptions options;
  ASSERT_TRUE(*take({"--header", "X-Api-Key:   s3cret  "}, options));
  ASSERT_TRUE(*take({"--header", "Authorization: Bearer a b"}, options));
  ASSERT_EQ(options.extra_headers.size(), 2u);
  EXPECT_EQ(options.extra_headers[0], (std::pair<std::string, std::string>{"X-Api-Key", "s3cret"}));
  EXPECT_EQ(options.extra_headers[1].second, "Bearer a b");
  for (const char* bad : {"NoColon", ": value", "Bad Name: v", "Content-Length: 3", "host: x", "X-A: a\r\nX-B: b"}) {
    auto taken = take({"--header", bad}, options);
    EXPECT_FALSE(taken) << bad;
    if (!taken) {
      EXPECT_NE(taken.error().message().find("--header"), std::string::npos);
    }
  }
}

TEST(ConnectionFlags, ResolveRateAndRetryAfter) {
  ConnectionOptions options;
  EXPECT_FALSE(options.retry_after.enabled);
  ASSERT_TRUE(*take({"--resolve", "Relay.Example.Test:127.0.0.1"}, options));
  ASSERT_TRUE(*take({"--resolve", "v6.example:[::1]"}, options));
  EXPECT_EQ(options.connect_host("relay.example.test"), "127.0.0.1");
  EXPECT_EQ(options.connect_host("v6.example"), "::1");
  EXPECT_EQ(options.connect_host("other.example"), "other.example");
  EXPECT_FALSE(take({"--resolve", "relay.example:443:127.0.0.1"}, options));
  EXPECT_FALSE(take({"--resolve", "relay.example:not-an-address"}, options));

  for (const char* bad : {"0", "10001", "-1", "2.5", "fast"}) EXPECT_FALSE(take({"--rate", bad}, options)) << bad;
  ASSERT_TRUE(*take({"--rate", "200"}, options));
  ASSERT_NE(options.rate, nullptr);
  EXPECT_EQ(options.rate->rate(), 200.0);
  EXPECT_TRUE(options.retry_after.enabled) << "--rate implies --honour-retry-after";

  ConnectionOptions plain;
  ASSERT_TRUE(*take({"--honour-retry-after"}, plain));
  EXPECT_TRUE(plain.retry_after.enabled);
  EXPECT_EQ(plain.rate, nullptr);
  EXPECT_FALSE(*take({"--target", "https://x"}, plain));
  std::vector<std::string> missing = {"--header"};
  std::size_t i = 0;
  EXPECT_FALSE(take_connection_flag(missing, i, plain));
}

TEST(ConnectionFlags, CommandLineForReportsHidesHeaderValues) {
  const std::string line = command_line_for_reports(
      {"tigress-conform", "relay", "--header", "X-Api-Key: s3cret", "--rate", "5", "--header", "odd"});
  EXPECT_EQ(line, "tigress-conform relay --header X-Api-Key: <redacted> --rate 5 --header <redacted>");
}

TEST(ConnectionFlags, RedactorLearnsTheHeaderValues) {
  ConnectionOptions options;
  options.extra_headers = {{"X-Api-Key", "s3cret"}, {"X-Empty", ""}};
  Redactor redactor;
  options.register_secrets(redactor);
  EXPECT_EQ(redactor.apply("GET / HTTP/1.1\r\nX-Api-Key: s3cret\r\n"),
            "GET / HTTP/1.1\r\nX-Api-Key: <redacted:header X-Api-Key>\r\n");
}

TEST(ConnectionFlags, ClientCertificateIsCheckedAtStartup) {
  auto first = tls::generate_self_signed({"client.one"}, {}, 1);
  auto second = tls::generate_self_signed({"client.two"}, {}, 1);
  ASSERT_TRUE(first && second);
  ConnectionOptions options;
  EXPECT_TRUE(check_connection_options(options)) << "no client certificate is fine";
  const testing::TempFile one_cert(first->cert_pem), one_key(first->key_pem), two_key(second->key_pem);
  const testing::TempFile junk("not a certificate\n");
  options.client_cert_file = one_cert.path();
  auto lonely = check_connection_options(options);
  ASSERT_FALSE(lonely);
  EXPECT_NE(lonely.error().message().find("together"), std::string::npos);

  options.client_key_file = one_key.path();
  EXPECT_TRUE(check_connection_options(options));

  options.client_key_file = two_key.path();
  auto mismatched = check_connection_options(options);
  ASSERT_FALSE(mismatched);
  EXPECT_NE(mismatched.error().message().find("does not match"), std::string::npos) << mismatched.error().message();

  options.client_key_file = "/nonexistent/client.key";
  auto unreadable = check_connection_options(options);
  ASSERT_FALSE(unreadable);
  EXPECT_NE(unreadable.error().message().find("/nonexistent/client.key"), std::string::npos);

  options.client_cert_file = junk.path();
  options.client_key_file = one_key.path();
  auto not_pem = check_connection_options(options);
  ASSERT_FALSE(not_pem);
  EXPECT_NE(not_pem.error().message().find("client certificate"), std::string::npos) << not_pem.error().message();
}

// A clock that never sleeps: it jumps to the requested time and remembers each wait.
class FakeClock final : public WaitClock {
 public:
  TimePoint now() const override { return now_; }
  void sleep_until(TimePoint when) override {
    sleeps.push_back(when - start);
    now_ = when;
  }
  void advance(std::chrono::steady_clock::duration by) { now_ += by; }
  const TimePoint start = TimePoint() + 1000s;
  std::vector<std::chrono::steady_clock::duration> sleeps;

 private:
  TimePoint now_ = start;
};

TEST(RateLimiter, SpacesRequestsEvenlyAndGrantsNoBurstAfterIdling) {
  auto clock = std::make_shared<FakeClock>();
  RateLimiter limiter(4, clock);  // one request every 250 ms
  limiter.acquire();
  EXPECT_TRUE(clock->sleeps.empty()) << "the first request starts at once";
  limiter.acquire();
  limiter.acquire();
  ASSERT_EQ(clock->sleeps.size(), 2u);
  EXPECT_EQ(clock->sleeps[0], std::chrono::steady_clock::duration(250ms));
  EXPECT_EQ(clock->sleeps[1], std::chrono::steady_clock::duration(500ms));
  clock->advance(10s);  // idle: now at 10.5 s after start
  limiter.acquire();
  EXPECT_EQ(clock->sleeps.size(), 2u) << "after idling the next request starts at once";
  limiter.acquire();
  ASSERT_EQ(clock->sleeps.size(), 3u);
  EXPECT_EQ(clock->sleeps[2], std::chrono::steady_clock::duration(10s + 750ms)) << "but the one after it waits";
}

TEST(RetryAfter, DeltaSecondsAndAllThreeHttpDateFormats) {
  // 1994-11-06T08:49:37Z, the example date of RFC 9110 section 5.6.7.
  const codec::UnixSeconds example = 784111777;
  EXPECT_EQ(retry_after_seconds("120", example), 120);
  EXPECT_EQ(retry_after_seconds(" 0 ", example), 0);
  EXPECT_EQ(retry_after_seconds("Sun, 06 Nov 1994 08:49:37 GMT", example - 30), 30);
  EXPECT_EQ(retry_after_seconds("Sunday, 06-Nov-94 08:49:37 GMT", example - 5), 5);
  EXPECT_EQ(retry_after_seconds("Sun Nov  6 08:49:37 1994", example - 1), 1);
  EXPECT_EQ(retry_after_seconds("Sun, 06 Nov 1994 08:49:37 GMT", example + 100), 0) << "a past date waits 0 s";
  for (const char* bad : {"", "-1", "1.5", "soon", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 31 Feb 1994 08:49:37 GMT",
                          "Sun, 06 Xyz 1994 08:49:37 GMT", "99999999999999999999"}) {
    EXPECT_FALSE(retry_after_seconds(bad, example)) << bad;
  }
}

}  // namespace
}  // namespace tigress::harness
