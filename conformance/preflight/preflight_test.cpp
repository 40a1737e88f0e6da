// The preflight against targets that cannot be tested (nothing listening, a silent TLS port,
// plain HTTP, an untrusted certificate, a relay built to an older draft, a missing path prefix)
// and against the reference relay, which passes.
#include "conformance/preflight/preflight.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <regex>

#include <gtest/gtest.h>

#include "harness/raw_server_test_support.hpp"
#include "harness/relay_test_fixture.hpp"
#include "reference/relay/clock.hpp"
#include "reference/relay/relay_test_support.hpp"
#include "reference/relay/server.hpp"
#include "reference/tls/tls_material.hpp"

namespace tigress::conformance {
namespace {

using namespace std::chrono_literals;
using harness::testing::Connection;
using harness::testing::contains;
using harness::testing::RawServer;
using harness::testing::TempFile;

const tls::TlsMaterial& material() {
  static const tls::TlsMaterial value = *tls::generate_self_signed({"localhost"}, {"127.0.0.1"}, 1);
  return value;
}

harness::Target local(int port, std::string prefix = "") {
  return harness::Target{"127.0.0.1", port, std::move(prefix)};
}

bool has_hint(const PreflightResult& result, const std::string& part) {
  for (const auto& hint : result.hints) {
    if (contains(hint, part)) return true;
  }
  return false;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A server answering every request with `status` and `body` (the request's claim echoed where
// the body says CLAIM, as a careless relay's error message would); the claim it saw goes to
// `seen_claim`.
RawServer::Behaviour answering(int status, std::string body, std::shared_ptr<std::string> seen_claim = nullptr) {
  return [status, body, seen_claim](Connection& connection) {
    const std::string head = connection.read_head();
    std::smatch claim;
    std::string echoed = body;
    if (std::regex_search(head, claim, std::regex("Mailbox-Device-Claim: ([^\r]*)"))) {
      echoed = std::regex_replace(echoed, std::regex("CLAIM"), claim[1].str());
      if (seen_claim) *seen_claim = claim[1].str();
    }
    connection.write("HTTP/1.1 " + std::to_string(status) +
                     " Whatever\r\nContent-Type: application/json\r\n"
                     "Content-Length: " +
                     std::to_string(echoed.size()) + "\r\nConnection: close\r\n\r\n" + echoed);
  };
}

TEST(Preflight, DeadPortEndsAtConnectWellUnderTheDeadline) {
  const std::uint16_t port = harness::test_support::unused_loopback_port();  // nothing listens there
  ASSERT_NE(port, 0);
  const auto start = std::chrono::steady_clock::now();
  auto result = run_preflight(local(port), {}, {}, {});
  EXPECT_LT(seconds_since(start), 30);
  EXPECT_FALSE(result.passed);
  EXPECT_EQ(result.step, "connect");
  EXPECT_EQ(result.status, 0);
  EXPECT_TRUE(has_hint(result, "nothing accepts connections")) << describe_preflight(result);
  EXPECT_TRUE(result.sent.empty()) << "nothing was sent: " << result.sent;
}

TEST(Preflight, TlsServerHangingUpAfterTheRequestIsNamed) {
  RawServer hangs_up(&material(), [](Connection& connection) { connection.read_head(); });
  TempFile ca(material().cert_pem);
  auto result = run_preflight(local(hangs_up.port()), {ca.path(), false, 0, 0}, {}, {});
  EXPECT_FALSE(result.passed);
  EXPECT_EQ(result.step, "create");
  EXPECT_TRUE(has_hint(result, "closed it without an HTTP answer")) << describe_preflight(result);
}

TEST(Preflight, SilentTlsRelayTimesOutWithinOneStepDeadline) {
  RawServer silent(&material(), [](Connection& connection) { connection.idle(); });
  ASSERT_NE(silent.port(), 0);
  TempFile ca(material().cert_pem);
  const auto start = std::chrono::steady_clock::now();
  auto result = run_preflight(local(silent.port()), {ca.path(), false, 0, 0}, {}, {});
  const double elapsed = seconds_since(start);
  EXPECT_LT(elapsed, 30);
  EXPECT_GE(elapsed, 4.5);  // the default step deadline was waited out, once
  EXPECT_FALSE(result.passed);
  EXPECT_EQ(result.step, "create");
  EXPECT_TRUE(has_hint(result, "no answer within the 5000 ms deadline")) << describe_preflight(result);
  EXPECT_TRUE(contains(result.sent, "POST /v1/m HTTP/1.1")) << result.sent;
}

TEST(Preflight, OlderDraftHeaderNameIsHintedWithTheRelaysOwnWordsRedacted) {
  auto claim = std::make_shared<std::string>();
  RawServer old(&material(),
                answering(400, "{\"error\":\"Invalid or missing Device-Claim header (got CLAIM)\x01\"}", claim));
  TempFile ca(material().cert_pem);
  auto result = run_preflight(local(old.port()), {ca.path(), false, 0, 0}, {}, {});
  EXPECT_FALSE(result.passed);
  EXPECT_EQ(result.step, "create");
  EXPECT_EQ(result.status, 400);
  EXPECT_TRUE(has_hint(result, "the relay's answer names the header names of older drafts (Device-Claim"))
      << describe_preflight(result);
  EXPECT_TRUE(contains(result.body, "Invalid or missing Device-Claim header")) << result.body;
  EXPECT_TRUE(contains(result.body, "\\x01")) << result.body;  // escaped, not raw
  EXPECT_TRUE(contains(result.body, "<redacted:initiator-claim>")) << result.body;
  EXPECT_TRUE(contains(result.sent, "Mailbox-Device-Claim: <redacted:initiator-claim>")) << result.sent;
  ASSERT_EQ(claim->size(), 36u) << *claim;  // a UUID was sent
  EXPECT_FALSE(contains(result.sent + result.body + describe_preflight(result), *claim));
  EXPECT_TRUE(contains(describe_preflight(result), "Invalid or missing Device-Claim header"));
}

TEST(Preflight, AnswerBodyIsBounded) {
  RawServer verbose(&material(), answering(400, std::string(100000, 'x')));
  TempFile ca(material().cert_pem);
  auto result = run_preflight(local(verbose.port()), {ca.path(), false, 0, 0}, {}, {});
  EXPECT_EQ(result.status, 400);
  EXPECT_LT(result.body.size(), 2000u);
  EXPECT_TRUE(has_hint(result, "relays built to older drafts expect")) << describe_preflight(result);
}

TEST(Preflight, PlainHttpOnTheTlsPortIsHinted) {
  RawServer plain(nullptr, answering(400, "plain"));
  auto result = run_preflight(local(plain.port()), {}, {}, {});
  EXPECT_FALSE(result.passed);
  EXPECT_EQ(result.step, "connect");
  EXPECT_TRUE(has_hint(result, "answers plain HTTP, not TLS")) << describe_preflight(result);
}

TEST(Preflight, UntrustedCertificateNamesSubjectAndIssuer) {
  RawServer relay(&material(), answering(200, "{}"));
  auto other = tls::generate_self_signed({"other.invalid"}, {"127.0.0.1"}, 1);
  ASSERT_TRUE(other.ok());
  TempFile wrong_ca(other->cert_pem);
  auto result = run_preflight(local(relay.port()), {wrong_ca.path(), false, 0, 0}, {}, {});
  EXPECT_FALSE(result.passed);
  EXPECT_EQ(result.step, "connect");
  EXPECT_TRUE(contains(result.diagnosis, "certificate verify failed")) << result.diagnosis;
  EXPECT_TRUE(contains(result.diagnosis, "subject \"CN=localhost\" issued by \"CN=localhost\"")) << result.diagnosis;
  EXPECT_TRUE(has_hint(result, "--ca " + wrong_ca.path())) << describe_preflight(result);
}

TEST(Preflight, NotFoundOnTheCollectionSuggestsAPathPrefix) {
  RawServer relay(&material(), answering(404, "{\"error\":\"not found\"}"));
  TempFile ca(material().cert_pem);
  auto result = run_preflight(local(relay.port()), {ca.path(), false, 0, 0}, {}, {});
  EXPECT_EQ(result.step, "create");
  EXPECT_EQ(result.status, 404);
  EXPECT_TRUE(has_hint(result, "path prefix")) << describe_preflight(result);
  EXPECT_FALSE(has_hint(result, "older drafts")) << describe_preflight(result);
}

TEST(Preflight, ReferenceRelayPasses) {
  relay::SystemClock clock;
  relay::MemoryStore store;
  relay::RelayConfig config;
  config.public_base_url = "";
  auto server = relay::RelayServer::start(relay::Relay(config), clock, store, material(), relay::ServerOptions{});
  ASSERT_TRUE(server.ok()) << server.error().message();
  TempFile ca(material().cert_pem);
  auto result = run_preflight(local((*server)->port()), {ca.path(), false, 0, 0}, {}, {});
  EXPECT_TRUE(result.passed) << describe_preflight(result);
  EXPECT_TRUE(result.step.empty());
  EXPECT_TRUE(result.hints.empty());
  (*server)->stop();
}

}  // namespace
}  // namespace tigress::conformance
