// The keep-alive session against the reference relay and small servers on 127.0.0.1 that count
// their connections: one handshake for many requests, and a fresh connection whenever reusing
// one could mix up two exchanges.
#include "harness/wire_session.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include "harness/raw_server_test_support.hpp"
#include "reference/relay/relay_test_support.hpp"
#include "reference/relay/server.hpp"
#include "reference/tls/tls_material.hpp"

namespace tigress::harness {
namespace {

using namespace std::chrono_literals;
using testing::Connection;
using testing::RawServer;

const tls::TlsMaterial& session_material() {
  static const tls::TlsMaterial value = *tls::generate_self_signed({"localhost"}, {"127.0.0.1"}, 1);
  return value;
}

class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override { std::ofstream(ca_) << session_material().cert_pem; }
  void TearDown() override { std::filesystem::remove(ca_); }
  WireClient client_for(int port, std::chrono::milliseconds timeout = 2000ms) const {
    ClientLimits limits;
    limits.timeout = timeout;
    return WireClient(Target{"127.0.0.1", port, ""}, TlsOptions{ca_.string(), false, 0, 0}, limits);
  }

  std::filesystem::path ca_ =
      std::filesystem::temp_directory_path() / ("tigress-session-" + relay::testing::fresh_uuid() + ".pem");
};

HttpRequest session_create(const std::string& request_id) {
  HttpRequest request;
  request.method = "POST";
  request.target = "/v1/m";
  request.headers = {{"Content-Type", "application/json"},
                     {"Mailbox-Device-Claim", relay::testing::fresh_uuid()},
                     {"Mailbox-Request-ID", request_id}};
  request.body = relay::testing::create_body().dump();
  return request;
}

TEST_F(SessionTest, ManyRequestsShareOneConnectionToTheRelay) {
  relay::ManualClock clock{relay::testing::kStart};
  relay::MemoryStore store;
  relay::RelayConfig config;
  config.public_base_url = "";
  auto server =
      relay::RelayServer::start(relay::Relay(config), clock, store, session_material(), relay::ServerOptions{});
  ASSERT_TRUE(server.ok()) << server.error().message();
  const WireClient client = client_for((*server)->port());
  auto session_owner = std::make_unique<WireSession>(client);
  WireSession& session = *session_owner;
  for (int i = 0; i < 25; ++i) {
    const std::string id = "session-" + std::to_string(i);
    auto response = session.send(session_create(id));
    ASSERT_TRUE(response.ok()) << response.error().message();
    EXPECT_EQ(response->status, 200) << response->body;
    EXPECT_EQ(response->header("Mailbox-Request-ID"), id);
  }
  EXPECT_EQ(session.connections_opened(), 1u);
  // The relay reads a refused body whole and frames its 400 by length without closing: the
  // connection carries on.
  HttpRequest bad = session_create("session-bad");
  bad.body = "{";
  auto refused = session.send(bad);
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->status, 400);
  EXPECT_FALSE(refused->header("Connection").has_value());
  ASSERT_TRUE(session.send(session_create("session-after")).ok());
  EXPECT_EQ(session.connections_opened(), 1u);
  // A method outside RFC 9110's ends the connection on the client's side: a new one.
  HttpRequest unknown = session_create("session-unknown-method");
  unknown.method = "BREW";
  ASSERT_TRUE(session.send(unknown).ok());
  auto after = session.send(session_create("session-after-2"));
  ASSERT_TRUE(after.ok()) << after.error().message();
  EXPECT_EQ(after->header("Mailbox-Request-ID"), "session-after-2");
  EXPECT_EQ(session.connections_opened(), 2u);
  // The second handshake resumes the session of the first (a TLS 1.3 ticket, RFC 8446 2.2).
  EXPECT_EQ(session.sessions_resumed(), 1u);
  session_owner.reset();  // hang up first: the server waits for open connections when it stops
  (*server)->stop();
}

// Answers every request on a connection with `answer(n)` (n: requests on this connection so far),
// and counts connections.
struct CountingServer {
  std::atomic<int> connections{0};
  std::atomic<int> requests{0};
  RawServer server;
  explicit CountingServer(std::function<std::string(int)> answer)
      : server(&session_material(), [this, answer](Connection& c) {
          ++connections;
          for (int n = 0;; ++n) {
            const std::string head = c.read_head();
            if (head.find("\r\n\r\n") == std::string::npos) return;
            ++requests;
            const std::string reply = answer(n);
            if (reply.empty()) {  // a stall past the client's deadline (this server serves one connection at a time)
              c.pause(550ms);
              return;
            }
            if (!c.write(reply)) return;
          }
        }) {}
};

std::string ok_reply(const std::string& extra_headers = "") {
  return "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n" + extra_headers + "\r\nok";
}

HttpRequest plain_get() { return HttpRequest{}; }

TEST_F(SessionTest, ConnectionCloseOpensAFreshConnection) {
  CountingServer counting([](int n) { return ok_reply(n == 1 ? "Connection: close\r\n" : ""); });
  const WireClient client = client_for(counting.server.port());
  WireSession session(client);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(session.send(plain_get()).ok()) << i;
  // Requests 1-2 on the first connection (the second answer says close), 3-4 on the next, 5 on a third.
  EXPECT_EQ(counting.connections.load(), 3);
  EXPECT_EQ(session.connections_opened(), 3u);
}

TEST_F(SessionTest, BytesAfterTheAnswerAreNotMistakenForTheNextAnswer) {
  CountingServer counting([](int n) { return n == 0 ? ok_reply() + ok_reply() : ok_reply(); });
  const WireClient client = client_for(counting.server.port());
  WireSession session(client);
  ASSERT_TRUE(session.send(plain_get()).ok());
  ASSERT_TRUE(session.send(plain_get()).ok());
  EXPECT_EQ(session.connections_opened(), 2u);
}

TEST_F(SessionTest, FramingRefusalsAndServerErrorsAreReusedOnlyWhenFramedByLengthAndNotClosing) {
  for (const std::string status :
       {"400 Bad Request", "413 Payload Too Large", "431 Too Large", "408 Timeout", "500 Oops", "503 Busy"}) {
    for (const bool closing : {false, true}) {
      CountingServer counting([&](int) {
        return "HTTP/1.1 " + status + "\r\nContent-Length: 0\r\n" + (closing ? "Connection: close\r\n" : "") + "\r\n";
      });
      const WireClient client = client_for(counting.server.port());
      WireSession session(client);
      ASSERT_TRUE(session.send(plain_get()).ok()) << status;
      ASSERT_TRUE(session.send(plain_get()).ok()) << status;
      EXPECT_EQ(session.connections_opened(), closing ? 2u : 1u) << status << (closing ? " closing" : "");
      EXPECT_EQ(counting.connections.load(), closing ? 2 : 1) << status;
    }
  }
}

TEST_F(SessionTest, AStallOnAKeptConnectionIsBoundedByTheTimeout) {
  CountingServer counting([](int n) { return n == 0 ? ok_reply() : std::string(); });
  const WireClient client = client_for(counting.server.port(), 400ms);
  WireSession session(client);
  ASSERT_TRUE(session.send(plain_get()).ok());
  const auto start = std::chrono::steady_clock::now();
  auto stalled = session.send(plain_get());
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(stalled.ok());
  EXPECT_EQ(stalled.error().message().rfind("timeout after 400 ms", 0), 0u) << stalled.error().message();
  EXPECT_LT(took, 1500ms);
  // The stalled connection is given up: the next request opens a new one.
  ASSERT_TRUE(session.send(plain_get()).ok());
  EXPECT_EQ(session.connections_opened(), 2u);
}

TEST_F(SessionTest, AConnectionIdleForASecondIsNotReused) {
  CountingServer counting([](int) { return ok_reply(); });
  const WireClient client = client_for(counting.server.port());
  WireSession session(client);
  ASSERT_TRUE(session.send(plain_get()).ok());
  ASSERT_TRUE(session.send(plain_get()).ok());
  EXPECT_EQ(session.connections_opened(), 1u);
  std::this_thread::sleep_for(WireSession::kMaxIdle + 100ms);
  ASSERT_TRUE(session.send(plain_get()).ok());
  EXPECT_EQ(session.connections_opened(), 2u);
}

TEST_F(SessionTest, ABodyOnAMethodWithoutOneEndsTheConnection) {
  CountingServer counting([](int) { return ok_reply(); });
  const WireClient client = client_for(counting.server.port());
  WireSession session(client);
  HttpRequest with_body;
  with_body.method = "GET";
  with_body.body = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_TRUE(session.send(with_body).ok());
  ASSERT_TRUE(session.send(plain_get()).ok());
  EXPECT_EQ(session.connections_opened(), 2u);
  EXPECT_FALSE(unambiguously_framed(with_body));
  with_body.method = "post";
  EXPECT_FALSE(unambiguously_framed(with_body));
  EXPECT_FALSE(unambiguously_framed(HttpRequest{"M-SEARCH", "/", {}, "", "HTTP/1.1", true}));
  with_body.method = "PUT";
  EXPECT_TRUE(unambiguously_framed(with_body));
  with_body.headers = {{"content-type", "Multipart/form-data; boundary=x"}};
  EXPECT_FALSE(unambiguously_framed(with_body));
  EXPECT_TRUE(unambiguously_framed(plain_get()));
}

TEST(KeepsConnection, OnlyWhenNothingCouldMixUpTwoExchanges) {
  HttpResponse ok;
  ok.status = 200;
  EXPECT_TRUE(keeps_connection(ok, true, 0));
  EXPECT_FALSE(keeps_connection(ok, false, 0)) << "answered before the request was written";
  EXPECT_FALSE(keeps_connection(ok, true, 1)) << "bytes after the answer";
  HttpResponse closing = ok;
  closing.headers = {{"connection", "keep-alive, Close"}};
  EXPECT_FALSE(keeps_connection(closing, true, 0));
  HttpResponse truncated = ok;
  truncated.body_truncated = true;
  EXPECT_FALSE(keeps_connection(truncated, true, 0));
  HttpResponse refused = ok;
  refused.status = 404;
  EXPECT_TRUE(keeps_connection(refused, true, 0));
  refused.status = 414;
  EXPECT_FALSE(keeps_connection(refused, true, 0)) << "a refusal without a Content-Length";
  refused.status = 400;
  EXPECT_FALSE(keeps_connection(refused, true, 0));
  refused.headers = {{"Content-Length", "12"}};
  EXPECT_TRUE(keeps_connection(refused, true, 0)) << "a refusal framed by its length, read whole";
  refused.status = 503;
  EXPECT_TRUE(keeps_connection(refused, true, 0));
  refused.headers.emplace_back("Connection", "close");
  EXPECT_FALSE(keeps_connection(refused, true, 0));
  HttpResponse switched = ok;
  switched.status = 101;
  switched.headers = {{"Content-Length", "0"}};
  EXPECT_FALSE(keeps_connection(switched, true, 0));
}

}  // namespace
}  // namespace tigress::harness
