// The keep-alive session against the reference relay and small servers on 127.0.0.1 that count
// their connections: one handshake for many requests, and a fresh connection whenever reusing
// one could mix up two exchanges.
#include "harness/wire_session.hpp"

#include "harness/framing_calibration.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
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

// The reference relay over TLS on a free loopback port, its URLs relative.
auto start_reference_relay(relay::ManualClock& clock, relay::MemoryStore& store) {
  relay::RelayConfig config;
  config.public_base_url = "";
  return relay::RelayServer::start(relay::Relay(config), clock, store, session_material(), relay::ServerOptions{});
}

TEST_F(SessionTest, ManyRequestsShareOneConnectionToTheRelay) {
  relay::ManualClock clock{relay::testing::kStart};
  relay::MemoryStore store;
  auto server = start_reference_relay(clock, store);
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

// A server that frames requests by their heads and reads a body only for POST, PUT and PATCH
// (unless `reads_every_body`): a body left unread on another method is taken for the start of
// the next request line. It answers a malformed request line with a 400 and everything else
// with 404 (an unknown mailbox) or 200, each framed by length, kept alive and echoing the
// request ID it finds in the head, so echoes alone would not reveal the mix-up.
struct BodySkippingServer {
  std::atomic<int> connections{0};
  RawServer server;
  explicit BodySkippingServer(bool reads_every_body)
      : server(&session_material(), [this, reads_every_body](Connection& c) {
          ++connections;
          std::string buffer;
          for (;;) {
            std::size_t end = 0;
            while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
              if (!c.read_more(buffer)) return;
            }
            const std::string head = buffer.substr(0, end + 2);
            buffer.erase(0, end + 4);
            const std::string line = head.substr(0, head.find("\r\n"));
            const std::string method = line.substr(0, line.find(' '));
            const auto value_of = [&head](const std::string& name) {
              const std::size_t at = head.find("\r\n" + name + ": ");
              if (at == std::string::npos) return std::string();
              const std::size_t from = at + name.size() + 4;
              return head.substr(from, head.find("\r\n", from) - from);
            };
            const std::string length = value_of("Content-Length");
            if (!length.empty() && (reads_every_body || method == "POST" || method == "PUT" || method == "PATCH")) {
              const auto n = static_cast<std::size_t>(std::stoul(length));
              while (buffer.size() < n) {
                if (!c.read_more(buffer)) return;
              }
              buffer.erase(0, n);
            }
            const bool well_formed =
                !method.empty() && method.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string::npos;
            const int status = !well_formed ? 400 : contains(line, "/v1/m/0000") ? 404 : 200;
            const std::string id = value_of("Mailbox-Request-ID");
            if (!c.write("HTTP/1.1 " + std::to_string(status) + " Answer\r\nContent-Length: 0\r\n" +
                         (id.empty() ? "" : "Mailbox-Request-ID: " + id + "\r\n") + "\r\n")) {
              return;
            }
          }
        }) {}
};

HttpRequest with_request_id(std::string method, std::string body, const std::string& id) {
  HttpRequest request;
  request.method = std::move(method);
  request.target = "/v1/x";
  request.headers = {{"Mailbox-Request-ID", id}};
  request.body = std::move(body);
  return request;
}

TEST_F(SessionTest, ATargetThatLeavesGetBodiesUnreadKeepsTheFreshConnectionRule) {
  BodySkippingServer skipping(/*reads_every_body=*/false);
  const WireClient client = client_for(skipping.server.port());
  FramingCalibration calibration(client);
  WireSession session(client, &calibration);
  auto first = session.send(with_request_id("GET", "{}", "with-body"));
  ASSERT_TRUE(first.ok()) << first.error().message();
  EXPECT_EQ(first->header("Mailbox-Request-ID"), "with-body");
  // Had the connection been kept, the server would have read "{}POST ..." and refused it.
  auto after = session.send(with_request_id("POST", "{}", "after"));
  ASSERT_TRUE(after.ok()) << after.error().message();
  EXPECT_EQ(after->status, 200);
  EXPECT_EQ(after->header("Mailbox-Request-ID"), "after");
  EXPECT_EQ(session.connections_opened(), 2u);
  EXPECT_EQ(skipping.connections.load(), 3) << "the probe's connection and the session's two";
  const auto verdicts = calibration.verdicts();
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0].first, "GET length");
  EXPECT_FALSE(verdicts[0].second);
}

TEST_F(SessionTest, ATargetThatReadsEveryBodyKeepsTheConnectionAfterOne) {
  BodySkippingServer reading(/*reads_every_body=*/true);
  const WireClient client = client_for(reading.server.port());
  FramingCalibration calibration(client);
  WireSession session(client, &calibration);
  ASSERT_TRUE(session.send(with_request_id("GET", "{}", "with-body")).ok());
  auto after = session.send(with_request_id("POST", "{}", "after"));
  ASSERT_TRUE(after.ok()) << after.error().message();
  EXPECT_EQ(after->status, 200);
  EXPECT_EQ(after->header("Mailbox-Request-ID"), "after");
  EXPECT_EQ(session.connections_opened(), 1u);
  EXPECT_EQ(reading.connections.load(), 2) << "the probe's connection and the session's";
}

TEST_F(SessionTest, TheReferenceRelayFramesUnusualMethodsAndBodiesLikeAnyOther) {
  relay::ManualClock clock{relay::testing::kStart};
  relay::MemoryStore store;
  auto server = start_reference_relay(clock, store);
  ASSERT_TRUE(server.ok()) << server.error().message();
  const WireClient client = client_for((*server)->port());
  FramingCalibration calibration(client);
  auto session_owner = std::make_unique<WireSession>(client, &calibration);
  HttpRequest chunked = with_request_id("DELETE", "2\r\n{}\r\n0\r\n\r\n", "chunked");
  chunked.headers.emplace_back("Transfer-Encoding", "chunked");
  for (const HttpRequest& unusual : {with_request_id("BREW", "", "brew"), with_request_id("GET", "{}", "get"),
                                     with_request_id("post", "{}", "lower"), chunked}) {
    ASSERT_TRUE(session_owner->send(unusual).ok());
    auto after = session_owner->send(session_create("after-" + unusual.method));
    ASSERT_TRUE(after.ok()) << after.error().message();
    EXPECT_EQ(after->status, 200) << unusual.method;
    EXPECT_EQ(after->header("Mailbox-Request-ID"), "after-" + unusual.method);
  }
  EXPECT_EQ(session_owner->connections_opened(), 1u);
  EXPECT_EQ(calibration.verdicts().size(), 4u);
  // A multipart body is never calibrated: how far a server reads it depends on its contents.
  HttpRequest multipart = with_request_id("POST", "--x--\r\n", "multipart");
  multipart.headers.emplace_back("Content-Type", "multipart/form-data; boundary=x");
  ASSERT_TRUE(session_owner->send(multipart).ok());
  ASSERT_TRUE(session_owner->send(session_create("after-multipart")).ok());
  EXPECT_EQ(session_owner->connections_opened(), 2u);
  EXPECT_EQ(calibration.verdicts().size(), 4u);
  session_owner.reset();
  (*server)->stop();
}

TEST(FramingClass, NamesMethodAndBodyFramingOfWhatOneProbeCovers) {
  EXPECT_EQ(framing_class(with_request_id("GET", "{}", "a")), "GET length");
  EXPECT_EQ(framing_class(with_request_id("FOO", "", "a")), "FOO none");
  HttpRequest chunked = with_request_id("GET", "0\r\n\r\n", "a");
  chunked.headers.emplace_back("transfer-encoding", "Chunked");
  EXPECT_EQ(framing_class(chunked), "GET chunked");
  chunked.headers.emplace_back("Transfer-Encoding", "chunked");
  EXPECT_EQ(framing_class(chunked), std::nullopt) << "two transfer codings";
  HttpRequest gzip = with_request_id("GET", "x", "a");
  gzip.headers.emplace_back("Transfer-Encoding", "gzip, chunked");
  EXPECT_EQ(framing_class(gzip), std::nullopt);
  HttpRequest own_length = with_request_id("GET", "{}", "a");
  own_length.headers.emplace_back("Content-Length", "2");
  EXPECT_EQ(framing_class(own_length), std::nullopt);
  HttpRequest multipart = with_request_id("GET", "--x--", "a");
  multipart.headers.emplace_back("Content-Type", "Multipart/mixed; boundary=x");
  EXPECT_EQ(framing_class(multipart), std::nullopt);
  EXPECT_EQ(framing_class(with_request_id("GE T", "", "a")), std::nullopt) << "not a token";
  EXPECT_EQ(framing_class(with_request_id("M-SEARCH", "", "a")), "M-SEARCH none");
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
