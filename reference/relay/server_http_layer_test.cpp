// The relay's HTTP layer byte for byte: raw requests over TLS, raw answers read back. Header
// values must reach the core as their octets arrived (no percent-decoding, obs-text kept), and
// the answers the HTTP layer gives by itself (oversized target, head or body; malformed
// requests) must echo the request ID and carry the JSON error body like every other answer
// (section 5.1, AMB-05; RFC 9110 section 5.5, RFC 9112 section 5).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include <gtest/gtest.h>

#include "reference/relay/relay_test_support.hpp"
#include "reference/relay/server.hpp"
#include "reference/tls/tls_material.hpp"

namespace tigress::relay::testing {
namespace {

struct RawAnswer {
  std::string status_line;
  std::vector<std::pair<std::string, std::string>> fields;  // as received, in order
  std::string body;

  std::vector<std::string> values(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto& [n, v] : fields) {
      if (iequals(n, name)) out.push_back(v);
    }
    return out;
  }
  int status() const { return status_line.size() >= 12 ? std::stoi(status_line.substr(9, 3)) : 0; }
};

// Splits what the server sent; `raw` holds one answer (the connection was closed after it).
RawAnswer parse_answer(const std::string& raw) {
  RawAnswer answer;
  const auto head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos) return answer;
  std::string_view head(raw.data(), head_end);
  answer.body = raw.substr(head_end + 4);
  bool first = true;
  while (!head.empty()) {
    const auto end = std::min(head.find("\r\n"), head.size());
    std::string_view line = head.substr(0, end);
    head.remove_prefix(std::min(end + 2, head.size()));
    if (first) {
      answer.status_line = std::string(line);
      first = false;
      continue;
    }
    const auto colon = line.find(':');
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    answer.fields.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  return answer;
}

class RelayHttpLayer : public ::testing::Test {
 protected:
  void SetUp() override {
    auto material = tls::generate_self_signed({"localhost"}, {"127.0.0.1"}, 1);
    ASSERT_TRUE(material.ok()) << material.error().message();
    RelayConfig config;
    config.public_base_url = "";
    config.max_body_bytes = 4096;
    ServerOptions options;
    options.worker_threads = 4;
    auto server = RelayServer::start(Relay(config), clock_, store_, *material, options);
    ASSERT_TRUE(server.ok()) << server.error().message();
    server_ = std::move(*server);
  }
  void TearDown() override {
    if (server_) server_->stop();
  }

  // Writes `bytes` over a fresh TLS connection and reads until the server closes it.
  std::string exchange(const std::string& bytes) const {
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(server_->port()));
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    timeval timeout{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    std::string received;
    if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
      SSL* ssl = SSL_new(ctx);
      SSL_set_fd(ssl, fd);
      if (SSL_connect(ssl) == 1) {
        // A server that answers before the whole request is in may stop reading; the answer
        // is what matters, so a short write is not a failure here.
        for (std::size_t sent = 0; sent < bytes.size();) {
          const int n =
              SSL_write(ssl, bytes.data() + sent, static_cast<int>(std::min<std::size_t>(bytes.size() - sent, 16384)));
          if (n <= 0) break;
          sent += static_cast<std::size_t>(n);
        }
        char buffer[16384];
        for (int n; (n = SSL_read(ssl, buffer, sizeof buffer)) > 0;)
          received.append(buffer, static_cast<std::size_t>(n));
      }
      SSL_free(ssl);
    }
    close(fd);
    SSL_CTX_free(ctx);
    return received;
  }

  RawAnswer send(const std::string& bytes) const { return parse_answer(exchange(bytes)); }

  static void expect_json_error(const RawAnswer& answer, int status) {
    EXPECT_EQ(answer.status(), status) << answer.status_line;
    ASSERT_EQ(answer.values("Content-Type").size(), 1u);
    EXPECT_EQ(answer.values("Content-Type")[0], "application/json");
    const auto json = nlohmann::json::parse(answer.body, nullptr, false);
    EXPECT_TRUE(json.is_object() && json.contains("error") && json.contains("detail")) << answer.body;
  }

  ManualClock clock_{kStart};
  MemoryStore store_;
  std::unique_ptr<RelayServer> server_;
};

// A Create with a claim but no body: the core answers 400 and echoes the ID it was given.
std::string create_without_body(const std::string& request_id) {
  return "POST /v1/m HTTP/1.1\r\nHost: 127.0.0.1\r\nMailbox-Device-Claim: " + fresh_uuid() +
         "\r\nMailbox-Request-ID: " + request_id +
         "\r\nContent-Type: application/json\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
}

TEST_F(RelayHttpLayer, PercentEncodedHeaderOctetsAreEchoedUndecoded) {
  for (const std::string id : {"a%41b", "abc%0D%0AX-Injected:%20yes", "%00%ff", "100%", "%%41"}) {
    const RawAnswer answer = send(create_without_body(id));
    expect_json_error(answer, 400);
    EXPECT_EQ(answer.values("Mailbox-Request-ID"), std::vector<std::string>{id});
    EXPECT_TRUE(answer.values("X-Injected").empty()) << id;
  }
}

TEST_F(RelayHttpLayer, ObsTextOctetsAreEchoedUnchanged) {
  // RFC 9110 section 5.5: field-vchar includes obs-text (%x80-FF); not UTF-8 necessarily.
  for (const std::string& id : {std::string("caf\xC3\xA9"), std::string("\x80\xFF\xFE-id"), std::string("a\tb c")}) {
    const RawAnswer answer = send(create_without_body(id));
    expect_json_error(answer, 400);
    EXPECT_EQ(answer.values("Mailbox-Request-ID"), std::vector<std::string>{id});
  }
}

TEST_F(RelayHttpLayer, OptionalWhitespaceAroundAValueIsNotPartOfIt) {
  // RFC 9112 section 5.1: OWS before and after the field value is not part of it.
  const std::string wire = "POST /v1/m HTTP/1.1\r\nHost: x\r\nMailbox-Device-Claim: " + fresh_uuid() +
                           "\r\nMailbox-Request-ID: \t id-7 \t\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  EXPECT_EQ(send(wire).values("Mailbox-Request-ID"), std::vector<std::string>{"id-7"});
}

TEST_F(RelayHttpLayer, LongTargetIs414WithEchoAndJson) {
  for (std::size_t length : {std::size_t{9000}, std::size_t{70000}}) {  // under and over the head limit
    const std::string wire = "GET /v1/m/" + std::string(length, 'a') +
                             " HTTP/1.1\r\nHost: x\r\nMailbox-Request-ID: long-" + std::to_string(length) + "\r\n\r\n";
    const RawAnswer answer = send(wire);
    expect_json_error(answer, 414);
    if (length < 64 * 1024) {  // a request line past the head limit hides the fields after it
      EXPECT_EQ(answer.values("Mailbox-Request-ID"), std::vector<std::string>{"long-" + std::to_string(length)});
    }
  }
}

TEST_F(RelayHttpLayer, OversizedHeadIs431WithEchoAndJson) {
  const std::string big_field =
      "POST /v1/m HTTP/1.1\r\nHost: x\r\nMailbox-Request-ID: big-field\r\nX-Big: " + std::string(70000, 'b') +
      "\r\n\r\n";
  RawAnswer answer = send(big_field);
  expect_json_error(answer, 431);
  EXPECT_EQ(answer.values("Mailbox-Request-ID"), std::vector<std::string>{"big-field"});

  std::string many_fields = "POST /v1/m HTTP/1.1\r\nHost: x\r\nMailbox-Request-ID: many-fields\r\n";
  for (int i = 0; i < 120; ++i) many_fields += "X-F" + std::to_string(i) + ": v\r\n";
  answer = send(many_fields + "Content-Length: 0\r\n\r\n");
  expect_json_error(answer, 431);
  EXPECT_EQ(answer.values("Mailbox-Request-ID"), std::vector<std::string>{"many-fields"});
}

TEST_F(RelayHttpLayer, OversizedBodyIs413WithEchoAndJsonBeforeItIsRead) {
  // Announced by Content-Length: refused on the head alone, the body never sent (more than the
  // relay reads past, so the connection then ends).
  RawAnswer answer =
      send("POST /v1/m HTTP/1.1\r\nHost: x\r\nMailbox-Request-ID: cl-big\r\nContent-Length: 2000000\r\n\r\n");
  expect_json_error(answer, 413);
  EXPECT_EQ(answer.values("Mailbox-Request-ID"), std::vector<std::string>{"cl-big"});
  // Chunked: refused once the chunks pass the limit (4096 here).
  std::string chunked =
      "POST /v1/m HTTP/1.1\r\nHost: x\r\nMailbox-Request-ID: chunked-big\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) chunked += "800\r\n" + std::string(2048, 'c') + "\r\n";
  answer = send(chunked + "0\r\n\r\n");
  expect_json_error(answer, 413);
  EXPECT_EQ(answer.values("Mailbox-Request-ID"), std::vector<std::string>{"chunked-big"});
}

// Every answer in `raw`, split by the status lines (these answers carry no body that has one).
std::vector<RawAnswer> parse_answers(const std::string& raw) {
  std::vector<RawAnswer> answers;
  for (std::size_t at = raw.rfind("HTTP/1.1 ", 0) == 0 ? 0 : std::string::npos; at != std::string::npos;) {
    const std::size_t next = raw.find("HTTP/1.1 ", at + 1);
    answers.push_back(parse_answer(raw.substr(at, next == std::string::npos ? std::string::npos : next - at)));
    at = next;
  }
  return answers;
}

TEST_F(RelayHttpLayer, ARefusedBodyAnnouncedByContentLengthIsReadPastOnAKeptConnection) {
  // RFC 9110 section 10.1.1: a server that answered before the content may go on reading it.
  // The body is skipped, never parsed: the request inside it gets no answer of its own.
  const std::string smuggled = "\r\n\r\nGET /v1/m/" + fresh_uuid() + " HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string body = smuggled + std::string(5000 - smuggled.size(), 'b');  // over the 4096 limit
  const std::string oversized =
      "POST /v1/m HTTP/1.1\r\nHost: x\r\nMailbox-Request-ID: big-kept\r\n"
      "Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n" +
      body;
  const std::string next =
      "GET /v1/m/" + fresh_uuid() + " HTTP/1.1\r\nHost: x\r\nMailbox-Request-ID: after\r\nConnection: close\r\n\r\n";
  const std::string raw = exchange(oversized + next);
  const std::vector<RawAnswer> answers = parse_answers(raw);
  ASSERT_EQ(answers.size(), 2u) << raw.substr(0, 600);
  expect_json_error(answers[0], 413);
  EXPECT_EQ(answers[0].values("Mailbox-Request-ID"), std::vector<std::string>{"big-kept"});
  EXPECT_TRUE(answers[0].values("Connection").empty()) << raw.substr(0, 300);
  expect_json_error(answers[1], 404);
  EXPECT_EQ(answers[1].values("Mailbox-Request-ID"), std::vector<std::string>{"after"});
}

TEST_F(RelayHttpLayer, ARefusedBodyThatMayNotFollowEndsTheConnection) {
  const std::string head = "POST /v1/m HTTP/1.1\r\nHost: x\r\nMailbox-Request-ID: big-closed\r\n";
  std::string chunked = head + "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) chunked += "800\r\n" + std::string(2048, 'c') + "\r\n";
  const std::string cases[] = {
      // More than the relay reads past (1 MiB): the body is not waited for.
      head + "Content-Length: 2000000\r\n\r\n",
      // A chunked body has no announced end to skip to.
      chunked + "0\r\n\r\n",
      // The client waits for a 100 that never comes, and may never send the body.
      head + "Expect: 100-continue\r\nContent-Length: 5000\r\n\r\n",
      // The client ends the connection itself: nothing to keep it open for.
      head + "Connection: close\r\nContent-Length: 5000\r\n\r\n" + std::string(5000, 'b'),
  };
  for (const std::string& request : cases) {
    const std::vector<RawAnswer> answers = parse_answers(exchange(request));
    ASSERT_EQ(answers.size(), 1u) << request.substr(0, 120);
    expect_json_error(answers[0], 413);
    EXPECT_EQ(answers[0].values("Mailbox-Request-ID"), std::vector<std::string>{"big-closed"});
    EXPECT_EQ(answers[0].values("Connection"), std::vector<std::string>{"close"}) << request.substr(0, 120);
  }
}

TEST_F(RelayHttpLayer, MalformedRequestsAre400WithEchoAndJson) {
  for (const std::string& bad : {std::string("No colon in this line\r\n"), std::string("Bad Name: v\r\n"),
                                 std::string("Content-Length: 12x\r\n"), std::string("X-Bare-CR: a\rb\r\n")}) {
    const RawAnswer answer =
        send("POST /v1/m HTTP/1.1\r\nHost: x\r\nMailbox-Request-ID: malformed-1\r\n" + bad + "\r\n");
    expect_json_error(answer, 400);
    EXPECT_EQ(answer.values("Mailbox-Request-ID"), std::vector<std::string>{"malformed-1"}) << bad;
  }
  // The ID after the broken line still reads as a well-formed field line.
  const RawAnswer answer = send("POST /v1/m HTTP/1.1\r\nHost: x\r\nBroken\r\nMailbox-Request-ID: malformed-2\r\n\r\n");
  expect_json_error(answer, 400);
  EXPECT_EQ(answer.values("Mailbox-Request-ID"), std::vector<std::string>{"malformed-2"});
  // A broken request line: the fields are still read for the echo.
  const RawAnswer no_version = send("POST /v1/m\r\nMailbox-Request-ID: malformed-3\r\n\r\n");
  expect_json_error(no_version, 400);
  EXPECT_EQ(no_version.values("Mailbox-Request-ID"), std::vector<std::string>{"malformed-3"});
}

TEST_F(RelayHttpLayer, UnknownMethodReachesTheCoreAndIsEchoed) {
  const RawAnswer answer =
      send("BREW /v1/m HTTP/1.1\r\nHost: x\r\nMailbox-Request-ID: brew-1\r\nConnection: close\r\n\r\n");
  EXPECT_GE(answer.status(), 400);
  EXPECT_LT(answer.status(), 500);
  EXPECT_EQ(answer.values("Content-Type"), std::vector<std::string>{"application/json"});
  EXPECT_TRUE(nlohmann::json::parse(answer.body, nullptr, false).is_object()) << answer.body;
  EXPECT_EQ(answer.values("Mailbox-Request-ID"), std::vector<std::string>{"brew-1"});
}

TEST_F(RelayHttpLayer, KeepAliveAnswersEachRequestInTurnThenExpects100Continue) {
  const std::string claim = fresh_uuid();
  const std::string one =
      "POST /v1/m HTTP/1.1\r\nHost: x\r\nMailbox-Device-Claim: " + claim +
      "\r\nMailbox-Request-ID: first\r\nContent-Type: application/json\r\nContent-Length: 0\r\n\r\n";
  const std::string body = create_body().dump();
  const std::string two = "POST /v1/m HTTP/1.1\r\nHost: x\r\nMailbox-Device-Claim: " + claim +
                          "\r\nMailbox-Request-ID: second\r\nContent-Type: application/json\r\nContent-Length: " +
                          std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  const std::string raw = exchange(one + two);
  const std::vector<RawAnswer> answers = parse_answers(raw);
  ASSERT_EQ(answers.size(), 2u) << raw;
  const RawAnswer &first = answers[0], &second = answers[1];
  EXPECT_EQ(first.status(), 400);
  EXPECT_EQ(first.values("Mailbox-Request-ID"), std::vector<std::string>{"first"});
  EXPECT_EQ(second.status(), 200) << second.body;
  EXPECT_EQ(second.values("Mailbox-Request-ID"), std::vector<std::string>{"second"});
  EXPECT_EQ(store_.begin()->mailbox_count(), 1u);

  // RFC 9110 section 10.1.1: the interim 100 comes first, then the final answer.
  const std::string expecting =
      "POST /v1/m HTTP/1.1\r\nHost: x\r\nMailbox-Device-Claim: " + fresh_uuid() +
      "\r\nMailbox-Request-ID: third\r\nExpect: 100-continue\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  const std::string with_interim = exchange(expecting);
  EXPECT_EQ(with_interim.rfind("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n", 0), 0u)
      << with_interim.substr(0, 200);
}

TEST_F(RelayHttpLayer, KeepsServingAfterRefusals) {
  (void)send("GARBAGE\r\n\r\n");
  (void)send("POST /v1/m HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n");
  const RawAnswer answer = send("GET /v1/m/" + fresh_uuid() + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(answer.status(), 404);
}

}  // namespace
}  // namespace tigress::relay::testing
