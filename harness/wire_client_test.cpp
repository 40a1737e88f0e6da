// The wire client against real servers on 127.0.0.1: the reference relay in-process, and small
// hostile servers that stall, trickle, flood or break the framing. Timeouts are short so the
// whole file runs in a few seconds.
#include "harness/wire_client.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness/raw_server_test_support.hpp"
#include "harness/relay_test_fixture.hpp"
#include "reference/relay/relay_test_support.hpp"
#include "reference/relay/server.hpp"
#include "reference/tls/tls_material.hpp"

namespace tigress::harness {
namespace {

using namespace std::chrono_literals;
using testing::Connection;
using testing::RawServer;

constexpr auto kShortTimeout = 500ms;

const tls::TlsMaterial& material() {
  static const tls::TlsMaterial value = *tls::generate_self_signed({"localhost"}, {"127.0.0.1"}, 1);
  return value;
}

// A PEM file removed when the test ends.
class TempPem {
 public:
  explicit TempPem(const std::string& pem)
      : path_(std::filesystem::temp_directory_path() / ("tigress-wire-" + relay::testing::fresh_uuid() + ".pem")) {
    std::ofstream(path_) << pem;
  }
  ~TempPem() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

ClientLimits short_limits() {
  ClientLimits limits;
  limits.timeout = kShortTimeout;
  return limits;
}

WireClient client_for(int port, const std::string& ca_file, ClientLimits limits = short_limits(),
                      const std::string& host = "127.0.0.1") {
  return WireClient(Target{host, port, ""}, TlsOptions{ca_file, false, 0, 0}, limits);
}

using testing::contains;

double millis_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

// ---- against the reference relay ------------------------------------------------------------

class WireClientRelay : public ::testing::Test {
 protected:
  void SetUp() override {
    relay::RelayConfig config;
    config.public_base_url = "";
    auto server = relay::RelayServer::start(relay::Relay(config), clock_, store_, material(), relay::ServerOptions{});
    ASSERT_TRUE(server.ok()) << server.error().message();
    server_ = std::move(*server);
  }
  void TearDown() override {
    if (server_) server_->stop();
  }
  HttpRequest create_request() const {
    HttpRequest request;
    request.method = "POST";
    request.target = "/v1/m";
    request.headers = {{"Content-Type", "application/json"},
                       {"Mailbox-Device-Claim", relay::testing::fresh_uuid()},
                       {"Mailbox-Request-ID", relay::testing::fresh_uuid()}};
    request.body = relay::testing::create_body().dump();
    return request;
  }

  relay::ManualClock clock_{relay::testing::kStart};
  relay::MemoryStore store_;
  std::unique_ptr<relay::RelayServer> server_;
  TempPem ca_{material().cert_pem};
};

TEST_F(WireClientRelay, CreatesAMailboxOverVerifiedTls) {
  auto response = client_for(server_->port(), ca_.path(), ClientLimits{}).send(create_request());
  ASSERT_TRUE(response.ok()) << response.error().message();
  EXPECT_EQ(response->status, 200) << response->body;
  EXPECT_EQ(response->header("content-type"), "application/json");
  const auto json = nlohmann::json::parse(response->body, nullptr, false);
  ASSERT_TRUE(json.is_object()) << response->body;
  EXPECT_EQ(json.value("urlLink", "").rfind(server_->url() + "/v1/m/", 0), 0u) << response->body;
  EXPECT_GT(response->elapsed_ms, 0);
  EXPECT_FALSE(response->body_truncated);
}

TEST_F(WireClientRelay, VerifiesByDnsNameWithSni) {
  auto response = client_for(server_->port(), ca_.path(), ClientLimits{}, "localhost").send(create_request());
  ASSERT_TRUE(response.ok()) << response.error().message();
  EXPECT_EQ(response->status, 200);
}

TEST_F(WireClientRelay, RawBytesGetAnAnswer) {
  auto response = client_for(server_->port(), ca_.path(), ClientLimits{})
                      .send_raw("GET /v1/m/unknown HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(response.ok()) << response.error().message();
  EXPECT_GE(response->status, 400);
}

TEST_F(WireClientRelay, WrongCaFailsVerification) {
  auto other = tls::generate_self_signed({"localhost"}, {"127.0.0.1"}, 1);
  ASSERT_TRUE(other.ok());
  TempPem wrong_ca(other->cert_pem);
  auto response = client_for(server_->port(), wrong_ca.path()).send(create_request());
  ASSERT_FALSE(response.ok());
  EXPECT_TRUE(contains(response.error().reason, "TLS handshake failed: certificate verify failed"))
      << response.error().reason;
}

TEST_F(WireClientRelay, MissingCaFileIsAClearError) {
  auto response = client_for(server_->port(), "/nonexistent/ca.pem").send(create_request());
  ASSERT_FALSE(response.ok());
  EXPECT_TRUE(contains(response.error().reason, "cannot load CA file /nonexistent/ca.pem")) << response.error().reason;
}

TEST_F(WireClientRelay, InsecureSkipsVerification) {
  WireClient client(Target{"127.0.0.1", server_->port(), ""}, TlsOptions{"", true, 0, 0}, short_limits());
  auto response = client.send(create_request());
  ASSERT_TRUE(response.ok()) << response.error().message();
  EXPECT_EQ(response->status, 200);
}

TEST_F(WireClientRelay, CleartextToTheTlsPortGetsNoHttpAnswer) {
  auto response = client_for(server_->port(), ca_.path())
                      .send_cleartext("GET /v1/m HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  EXPECT_FALSE(response.ok());
}

TEST_F(WireClientRelay, OnlyModernTlsVersionsComplete) {
  const auto client = client_for(server_->port(), ca_.path());
  const auto old = client.handshake(TLS1_VERSION, TLS1_1_VERSION);
  ASSERT_FALSE(old.ok());
  // The relay's alert proves we really offered TLS 1.0/1.1 (security level 0), rather than
  // failing on our own side before sending anything.
  EXPECT_TRUE(contains(old.error().reason, "TLS handshake failed: tlsv1 alert protocol version")) << old.error().reason;
  const auto modern = client.handshake(TLS1_2_VERSION, TLS1_3_VERSION);
  EXPECT_TRUE(modern.ok()) << modern.error().message();
  EXPECT_TRUE(client.handshake(TLS1_2_VERSION, TLS1_2_VERSION).ok());
  EXPECT_TRUE(client.handshake(TLS1_3_VERSION, TLS1_3_VERSION).ok());
}

TEST(WireClient, ConnectionRefused) {
  const std::uint16_t port = harness::test_support::unused_loopback_port();  // nothing listens there
  ASSERT_NE(port, 0);
  auto response = client_for(port, "").send(HttpRequest{});
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().reason, "connect: connection refused");
}

TEST(WireClient, CertificateForAnotherAddressFailsVerification) {
  auto elsewhere = tls::generate_self_signed({"relay.invalid"}, {"127.0.0.2"}, 1);
  ASSERT_TRUE(elsewhere.ok());
  TempPem ca(elsewhere->cert_pem);
  RawServer server(&*elsewhere, [](Connection& c) { c.idle(); });
  auto response = client_for(server.port(), ca.path()).send(HttpRequest{});
  ASSERT_FALSE(response.ok());
  EXPECT_TRUE(contains(response.error().reason, "certificate verify failed (IP address mismatch)"))
      << response.error().reason;
}

// ---- hostile servers ------------------------------------------------------------------------

class WireClientHostile : public ::testing::Test {
 protected:
  // Runs one request against a TLS server with `behaviour`, timing the whole call.
  Result<HttpResponse> run(RawServer::Behaviour behaviour, ClientLimits limits = short_limits(),
                           HttpRequest request = HttpRequest{}) {
    RawServer server(&material(), std::move(behaviour));
    EXPECT_NE(server.port(), 0);
    const auto start = std::chrono::steady_clock::now();
    auto response = client_for(server.port(), ca_.path(), limits).send(request);
    took_ms_ = millis_since(start);
    return response;
  }
  void expect_timeout(const Result<HttpResponse>& response) {
    ASSERT_FALSE(response.ok());
    EXPECT_EQ(response.error().reason.rfind("timeout after 500 ms", 0), 0u) << response.error().reason;
    EXPECT_GE(took_ms_, 450);
    EXPECT_LE(took_ms_, 1500);
  }

  TempPem ca_{material().cert_pem};
  double took_ms_ = 0;
};

TEST_F(WireClientHostile, NeverAnswers) {
  expect_timeout(run([](Connection& c) {
    c.read_head();
    c.idle();
  }));
}

TEST_F(WireClientHostile, NeverCompletesTheHandshake) {
  RawServer plain(nullptr, [](Connection& c) { c.idle(); });
  const auto start = std::chrono::steady_clock::now();
  auto response = client_for(plain.port(), ca_.path()).send(HttpRequest{});
  took_ms_ = millis_since(start);
  expect_timeout(response);
  EXPECT_TRUE(contains(response.error().reason, "TLS handshake")) << response.error().reason;
}

TEST_F(WireClientHostile, TricklingDoesNotExtendTheDeadline) {
  expect_timeout(run([](Connection& c) {
    c.read_head();
    if (!c.write("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n")) return;
    while (c.pause(100ms) && c.write("x")) {
    }
  }));
}

TEST_F(WireClientHostile, HugeBodyIsTruncatedAtTheLimit) {
  ClientLimits limits = short_limits();
  limits.timeout = 5000ms;
  limits.max_body_bytes = 256 * 1024;
  for (const bool announced : {true, false}) {
    auto response = run(
        [announced](Connection& c) {
          c.read_head();
          constexpr std::size_t kTotal = 10 * 1024 * 1024;
          if (!c.write(announced ? "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(kTotal) + "\r\n\r\n"
                                 : "HTTP/1.1 200 OK\r\n\r\n")) {
            return;
          }
          const std::string block(64 * 1024, 'z');
          for (std::size_t sent = 0; sent < kTotal && c.write(block); sent += block.size()) {
          }
        },
        limits);
    ASSERT_TRUE(response.ok()) << response.error().message();
    EXPECT_TRUE(response->body_truncated);
    EXPECT_EQ(response->body.size(), limits.max_body_bytes);
    EXPECT_LE(response->body.capacity(), 2 * limits.max_body_bytes);
    EXPECT_LT(took_ms_, 4000);
  }
}

TEST_F(WireClientHostile, ChunkedBodyIsDecoded) {
  auto response = run([](Connection& c) {
    c.read_head();
    for (const char* piece : {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "5;ext=1\r\nhel", "lo\r\n",
                              "6\r\n world\r\n", "0\r\nX-Trailer: 1\r\n\r\n"}) {
      if (!c.write(piece) || !c.pause(5ms)) return;
    }
    c.idle();  // the framing, not a close, must end the response
  });
  ASSERT_TRUE(response.ok()) << response.error().message();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "hello world");
}

TEST_F(WireClientHostile, MalformedChunkedIsAnError) {
  auto response = run([](Connection& c) {
    c.read_head();
    c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nnot-hex\r\n");
    c.idle();
  });
  ASSERT_FALSE(response.ok());
  EXPECT_TRUE(contains(response.error().reason, "malformed response: chunk size line")) << response.error().reason;
}

TEST_F(WireClientHostile, EndlessHeaderSectionIsCut) {
  ClientLimits limits = short_limits();
  limits.timeout = 5000ms;
  auto response = run(
      [](Connection& c) {
        c.read_head();
        if (!c.write("HTTP/1.1 200 OK\r\n")) return;
        const std::string line = "X-Filler: " + std::string(1000, 'a') + "\r\n";
        while (!c.stopped() && c.write(line)) {
        }
      },
      limits);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().reason, "response header section exceeds 65536 bytes");
  EXPECT_LT(took_ms_, 4000);
}

TEST_F(WireClientHostile, ClosesBeforeTheHandshake) {
  RawServer plain(nullptr, [](Connection&) {});
  auto response = client_for(plain.port(), ca_.path()).send(HttpRequest{});
  ASSERT_FALSE(response.ok());
  EXPECT_TRUE(contains(response.error().reason, "TLS handshake failed")) << response.error().reason;
}

TEST_F(WireClientHostile, ClosesRightAfterTheHandshake) {
  // Our request may reach the closed socket, which then answers with a reset instead of a FIN.
  auto response = run([](Connection&) {});
  ASSERT_FALSE(response.ok());
  EXPECT_TRUE(contains(response.error().reason, "connection closed by the target") ||
              contains(response.error().reason, "connection reset by peer"))
      << response.error().reason;
  EXPECT_LT(took_ms_, 450);
}

TEST_F(WireClientHostile, ClosesAfterReadingTheRequest) {
  auto response = run([](Connection& c) { c.read_head(); });
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().reason, "connection closed by the target without a response");
  EXPECT_LT(took_ms_, 450);
}

TEST_F(WireClientHostile, HeadResponseHasNoBody) {
  HttpRequest head;
  head.method = "HEAD";
  auto response = run(
      [](Connection& c) {
        c.read_head();
        c.write("HTTP/1.1 200 OK\r\nContent-Length: 12345\r\n\r\n");
        c.idle();
      },
      short_limits(), head);
  ASSERT_TRUE(response.ok()) << response.error().message();
  EXPECT_EQ(response->body, "");
  EXPECT_LT(took_ms_, 450);
}

TEST_F(WireClientHostile, EarlyAnswerDuringALargeUploadIsRead) {
  // The target answers 413 after the head and never reads the body; the client must notice the
  // answer instead of blocking on a full send buffer until the deadline.
  ClientLimits limits = short_limits();
  limits.timeout = 3000ms;
  HttpRequest upload;
  upload.method = "POST";
  upload.body.assign(16 * 1024 * 1024, 'u');
  auto response = run(
      [](Connection& c) {
        c.read_head();
        c.write("HTTP/1.1 413 Content Too Large\r\nContent-Length: 0\r\n\r\n");
        while (c.pause(20ms)) {
        }
      },
      limits, upload);
  ASSERT_TRUE(response.ok()) << response.error().message();
  EXPECT_EQ(response->status, 413);
  EXPECT_LT(took_ms_, 2500);
}

TEST(WireClientCleartext, PlainHttpAnswerIsParsed) {
  RawServer plain(nullptr, [](Connection& c) {
    c.read_head();
    c.write("HTTP/1.0 400 Bad Request\r\nContent-Type: text/plain\r\n\r\nplain HTTP to a TLS port");
  });
  auto response = client_for(plain.port(), "").send_cleartext("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(response.ok()) << response.error().message();
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(response->body, "plain HTTP to a TLS port");
}

TEST(WireClientCleartext, SilenceAndHangUpAreErrors) {
  RawServer silent(nullptr, [](Connection& c) { c.idle(); });
  const auto start = std::chrono::steady_clock::now();
  auto quiet = client_for(silent.port(), "").send_cleartext("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_FALSE(quiet.ok());
  EXPECT_EQ(quiet.error().reason, "timeout after 500 ms (waiting for the response)");
  EXPECT_LE(millis_since(start), 1500);

  RawServer closing(nullptr, [](Connection& c) { c.read_head(); });
  auto closed = client_for(closing.port(), "").send_cleartext("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_FALSE(closed.ok());
  EXPECT_EQ(closed.error().reason, "connection closed by the target without a response");
}

}  // namespace
}  // namespace tigress::harness
