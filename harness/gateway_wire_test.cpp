// The wire client behind a gateway, over real TLS on 127.0.0.1: mutual TLS against the reference
// relay with --client-ca, --resolve with the certificate checked against the URL's name,
// SSLKEYLOGFILE, Retry-After waits, and the extra headers on the wire.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "harness/raw_server_test_support.hpp"
#include "harness/wire_client.hpp"
#include "reference/relay/relay_test_support.hpp"
#include "reference/relay/server.hpp"
#include "reference/tls/tls_material.hpp"

namespace tigress::harness {
namespace {

using namespace std::chrono_literals;
using testing::Connection;
using testing::RawServer;
using testing::TempFile;

const tls::TlsMaterial& server_material() {
  static const tls::TlsMaterial value = *tls::generate_self_signed({"localhost"}, {"127.0.0.1"}, 1);
  return value;
}

const tls::TlsMaterial& client_material() {
  static const tls::TlsMaterial value = *tls::generate_self_signed({"suite.client"}, {}, 1);
  return value;
}

using testing::contains;

ClientLimits limits(std::chrono::milliseconds timeout = 2000ms) {
  ClientLimits value;
  value.timeout = timeout;
  return value;
}

HttpRequest get(const std::string& target) {
  HttpRequest request;
  request.target = target;
  return request;
}

// ---- mutual TLS against the reference relay --------------------------------------------------

class MutualTls : public ::testing::Test {
 protected:
  void SetUp() override {
    relay::ServerOptions options;
    options.client_ca_file = client_ca_.path();
    auto server =
        relay::RelayServer::start(relay::Relay(relay::RelayConfig{}), clock_, store_, server_material(), options);
    ASSERT_TRUE(server.ok()) << server.error().message();
    server_ = std::move(*server);
  }
  void TearDown() override {
    if (server_) server_->stop();
  }
  WireClient client(ConnectionOptions connection) const {
    return WireClient(Target{"127.0.0.1", server_->port(), ""}, TlsOptions{server_ca_.path(), false, 0, 0}, limits(),
                      std::move(connection));
  }

  TempFile server_ca_{server_material().cert_pem};
  TempFile client_ca_{client_material().cert_pem};
  TempFile client_cert_{client_material().cert_pem};
  TempFile client_key_{client_material().key_pem};
  relay::ManualClock clock_{relay::testing::kStart};
  relay::MemoryStore store_;
  std::unique_ptr<relay::RelayServer> server_;
};

TEST_F(MutualTls, TheRightClientCertificateIsAccepted) {
  ConnectionOptions connection;
  connection.client_cert_file = client_cert_.path();
  connection.client_key_file = client_key_.path();
  auto response = client(connection).send(get("/v1/m/unknown"));
  ASSERT_TRUE(response.ok()) << response.error().message();
  EXPECT_EQ(response->status, 404);
}

TEST_F(MutualTls, NoClientCertificateIsAClearError) {
  auto response = client(ConnectionOptions{}).send(get("/v1/m/unknown"));
  ASSERT_FALSE(response.ok()) << "the relay answered " << response->status;
  EXPECT_TRUE(contains(response.error().message(), "certificate")) << response.error().message();
}

TEST_F(MutualTls, AnotherClientCertificateIsRefused) {
  auto stranger = tls::generate_self_signed({"stranger.client"}, {}, 1);
  ASSERT_TRUE(stranger.ok());
  TempFile cert(stranger->cert_pem), key(stranger->key_pem);
  ConnectionOptions connection;
  connection.client_cert_file = cert.path();
  connection.client_key_file = key.path();
  auto response = client(connection).send(get("/v1/m/unknown"));
  ASSERT_FALSE(response.ok()) << "the relay answered " << response->status;
  EXPECT_TRUE(contains(response.error().message(), "alert")) << response.error().message();
}

// ---- --resolve -------------------------------------------------------------------------------

void answer_ok(Connection& c) {
  c.read_head();
  c.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
}

TEST(Resolve, ConnectsToTheAddressAndVerifiesTheName) {
  auto material = tls::generate_self_signed({"relay.example.test"}, {}, 1);
  ASSERT_TRUE(material.ok());
  TempFile ca(material->cert_pem);
  RawServer server(&*material, answer_ok);
  ConnectionOptions connection;
  connection.resolve = {{"relay.example.test", "127.0.0.1"}};
  auto target = parse_target("https://relay.example.test:" + std::to_string(server.port()));
  ASSERT_TRUE(target.ok());
  const WireClient client(*target, TlsOptions{ca.path(), false, 0, 0}, limits(), connection);
  auto response = client.send(get("/"));
  ASSERT_TRUE(response.ok()) << response.error().message();
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(contains(client.wire_bytes(get("/")), "Host: relay.example.test:")) << "Host is the real name";

  // The same certificate does not name another host mapped to the same address.
  ConnectionOptions elsewhere;
  elsewhere.resolve = {{"other.example.test", "127.0.0.1"}};
  auto other = parse_target("https://other.example.test:" + std::to_string(server.port()));
  ASSERT_TRUE(other.ok());
  auto refused = WireClient(*other, TlsOptions{ca.path(), false, 0, 0}, limits(), elsewhere).send(get("/"));
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(contains(refused.error().message(), "certificate verify failed (hostname mismatch)"))
      << refused.error().message();
}

// ---- SSLKEYLOGFILE ---------------------------------------------------------------------------

TEST(KeyLog, EveryHandshakeAppendsItsSecrets) {
  TempFile ca(server_material().cert_pem);
  TempFile log("");
  RawServer server(&server_material(), answer_ok);
  ASSERT_EQ(::setenv("SSLKEYLOGFILE", log.path().c_str(), 1), 0);
  const WireClient client(Target{"127.0.0.1", server.port(), ""}, TlsOptions{ca.path(), false, 0, 0}, limits());
  auto response = client.send(get("/"));
  ::unsetenv("SSLKEYLOGFILE");
  ASSERT_TRUE(response.ok()) << response.error().message();
  std::ifstream in(log.path());
  std::string line;
  int secrets = 0;
  while (std::getline(in, line)) {
    if (line.rfind("CLIENT_HANDSHAKE_TRAFFIC_SECRET ", 0) == 0 || line.rfind("CLIENT_RANDOM ", 0) == 0) ++secrets;
  }
  EXPECT_GE(secrets, 1) << "no key log line in " << log.path();
}

// ---- Retry-After -----------------------------------------------------------------------------

class RetryAfterWait : public ::testing::Test {
 protected:
  // 429 with Retry-After: 1 to the first request, 200 to every later one.
  RawServer server_{&server_material(), [this](Connection& c) {
                      c.read_head();
                      if (answers_++ == 0) {
                        c.write("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n");
                      } else {
                        c.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                      }
                    }};
  std::atomic<int> answers_{0};
  TempFile ca_{server_material().cert_pem};

  WireClient client(bool honour) const {
    ConnectionOptions connection;
    connection.retry_after.enabled = honour;
    return WireClient(Target{"127.0.0.1", server_.port(), ""}, TlsOptions{ca_.path(), false, 0, 0}, limits(),
                      connection);
  }
};

TEST_F(RetryAfterWait, IsWaitedOutAndTheRequestSentAgain) {
  const auto start = std::chrono::steady_clock::now();
  auto response = client(true).send(get("/"));
  ASSERT_TRUE(response.ok()) << response.error().message();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "ok");
  ASSERT_EQ(response->retried.size(), 1u);
  EXPECT_EQ(response->retried[0].status, 429);
  EXPECT_EQ(response->retried[0].waited_seconds, 1);
  EXPECT_EQ(answers_.load(), 2);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 1s) << "the wait happened";
}

TEST_F(RetryAfterWait, WithoutTheOptionTheAnswerIsReturnedAsItIs) {
  auto response = client(false).send(get("/"));
  ASSERT_TRUE(response.ok()) << response.error().message();
  EXPECT_EQ(response->status, 429);
  EXPECT_TRUE(response->retried.empty());
  EXPECT_EQ(answers_.load(), 1);
}

TEST(RetryAfterBounds, ALongerWaitThanTheBudgetIsNotTaken) {
  TempFile ca(server_material().cert_pem);
  std::atomic<int> answers{0};
  RawServer server(&server_material(), [&](Connection& c) {
    c.read_head();
    ++answers;
    c.write("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 3600\r\nContent-Length: 0\r\n\r\n");
  });
  ConnectionOptions connection;
  connection.retry_after.enabled = true;
  auto response =
      WireClient(Target{"127.0.0.1", server.port(), ""}, TlsOptions{ca.path(), false, 0, 0}, limits(), connection)
          .send(get("/"));
  ASSERT_TRUE(response.ok()) << response.error().message();
  EXPECT_EQ(response->status, 503);
  EXPECT_EQ(answers.load(), 1);
}

// ---- extra headers ---------------------------------------------------------------------------

TEST(ExtraHeaders, ReachTheServerUnlessTheRequestSetsTheName) {
  TempFile ca(server_material().cert_pem);
  std::string seen;
  std::mutex mutex;
  RawServer server(&server_material(), [&](Connection& c) {
    const std::string head = c.read_head();
    {
      std::lock_guard lock(mutex);
      seen = head;
    }
    c.write("HTTP/1.1 204 No Content\r\n\r\n");
  });
  ConnectionOptions connection;
  connection.extra_headers = {{"X-Api-Key", "s3cret"}, {"X-Tenant", "t1"}};
  const WireClient client(Target{"127.0.0.1", server.port(), ""}, TlsOptions{ca.path(), false, 0, 0}, limits(),
                          connection);
  HttpRequest request = get("/v1/m");
  request.headers = {{"x-tenant", "from-the-case"}};
  auto response = client.send(request);
  ASSERT_TRUE(response.ok()) << response.error().message();
  std::lock_guard lock(mutex);
  EXPECT_TRUE(contains(seen, "\r\nX-Api-Key: s3cret\r\n")) << seen;
  EXPECT_TRUE(contains(seen, "\r\nx-tenant: from-the-case\r\n")) << seen;
  EXPECT_FALSE(contains(seen, "X-Tenant: t1")) << "the case's own header wins";
  EXPECT_EQ(client.wire_bytes(request).substr(0, seen.size()), seen) << "wire_bytes is what was sent";
}

TEST(ExtraHeaders, RawBytesGetThemOnlyAfterAWellFormedRequestLine) {
  ConnectionOptions connection;
  connection.extra_headers = {{"X-Api-Key", "k"}};
  const WireClient client(Target{"127.0.0.1", 443, ""}, TlsOptions{}, limits(), connection);
  EXPECT_EQ(client.wire_bytes_raw("GET /v1/m HTTP/1.1\r\nHost: a\r\n\r\n"),
            "GET /v1/m HTTP/1.1\r\nX-Api-Key: k\r\nHost: a\r\n\r\n");
  EXPECT_EQ(client.wire_bytes_raw("GET / HTTP/2.0\r\n\r\n"), "GET / HTTP/2.0\r\nX-Api-Key: k\r\n\r\n");
  for (const std::string untouched :
       {"GET /v1/m HTTP/1.1\nHost: a\n\n", "GET /v1/m\r\n", "\x16\x03\x01 not http at all\r\n\r\n",
        "GET / HTTP/1.1\r\n folded\r\n\r\n", "GET / HTTP/1.1\r\nx-api-key: mine\r\n\r\n", "GET  / HTTP/1.1\r\n\r\n"}) {
    EXPECT_EQ(client.wire_bytes_raw(untouched), untouched) << untouched;
  }
}

}  // namespace
}  // namespace tigress::harness
