// The relay over real TLS on loopback, driven by a cpp-httplib client: statuses, headers and
// limits as a client on the wire sees them.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <httplib.h>
#include <gtest/gtest.h>

#include "reference/relay/relay_test_support.hpp"
#include "reference/relay/server.hpp"
#include "reference/tls/tls_material.hpp"

namespace tigress::relay::testing {
namespace {

class HttpsRelay : public ::testing::Test {
 protected:
  void SetUp() override {
    auto material = tls::generate_self_signed({"localhost"}, {"127.0.0.1"}, 1);
    ASSERT_TRUE(material.ok()) << material.error().message();
    ca_path_ = std::filesystem::temp_directory_path() / ("tigress-ca-" + fresh_uuid() + ".pem");
    std::ofstream(ca_path_) << material->cert_pem;
    RelayConfig config;
    config.public_base_url = "";  // derive from the bound address
    config.max_body_bytes = 4096;
    auto server = RelayServer::start(Relay(config), clock_, store_, *material, ServerOptions{});
    ASSERT_TRUE(server.ok()) << server.error().message();
    server_ = std::move(*server);
  }
  void TearDown() override {
    if (server_) server_->stop();
    std::filesystem::remove(ca_path_);
  }

  std::unique_ptr<httplib::SSLClient> client() {
    auto c = std::make_unique<httplib::SSLClient>("127.0.0.1", server_->port());
    c->set_ca_cert_path(ca_path_.c_str());
    c->enable_server_certificate_verification(true);
    c->set_keep_alive(true);
    c->set_connection_timeout(5, 0);
    c->set_read_timeout(5, 0);
    return c;
  }
  static httplib::Headers tigress_headers(const std::string& claim, const std::string& request_id) {
    return {{"Mailbox-Device-Claim", claim}, {"Mailbox-Request-ID", request_id}};
  }
  std::string create(httplib::SSLClient& c, const std::string& claim) {
    auto res = c.Post("/v1/m", tigress_headers(claim, fresh_uuid()), create_body().dump(), "application/json");
    EXPECT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    const std::string link = nlohmann::json::parse(res->body)["urlLink"];
    EXPECT_EQ(link.rfind(server_->url() + "/v1/m/", 0), 0u) << link;
    return link.substr(link.rfind('/') + 1);
  }

  ManualClock clock_{kStart};
  MemoryStore store_;
  std::unique_ptr<RelayServer> server_;
  std::filesystem::path ca_path_;
};

TEST_F(HttpsRelay, FullExchangeOverKeepAlive) {
  auto c = client();
  const std::string initiator = fresh_uuid(), r1 = fresh_uuid(), r2 = fresh_uuid();
  const std::string id = create(*c, initiator);
  const std::string path = "/v1/m/" + id;

  auto preview = c->Get(path + "?v=c");
  ASSERT_TRUE(preview);
  EXPECT_EQ(preview->status, 200);
  EXPECT_EQ(preview->get_header_value("Content-Type").rfind("text/html", 0), 0u);
  EXPECT_FALSE(preview->get_header_value("Content-Security-Policy").empty());

  auto read = c->Post(path, {{"Mailbox-Device-Claim", r1}}, "", "");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->status, 200);
  EXPECT_EQ(read->get_header_value("Content-Type"), "application/json");
  auto other = c->Post(path, {{"Mailbox-Device-Claim", r2}}, "", "");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 401);

  const std::string request_id = fresh_uuid();
  nlohmann::json update = {{"payload", payload_json("cmVwbHk=")}};
  auto put = c->Put(path, tigress_headers(r1, request_id), update.dump(), "application/json");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 200);
  EXPECT_EQ(put->get_header_value("Mailbox-Request-ID"), request_id);
  auto again = c->Put(path, tigress_headers(r1, request_id), update.dump(), "application/json");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 201);

  auto patch = c->Patch(path, tigress_headers(r1, fresh_uuid()), "", "");
  ASSERT_TRUE(patch);
  EXPECT_EQ(patch->status, 200);
  auto del = c->Delete(path, tigress_headers(initiator, fresh_uuid()));
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 200);
  auto gone = c->Get(path);
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, 404);
}

TEST_F(HttpsRelay, ExpiryFollowsTheInjectedClock) {
  auto c = client();
  const std::string initiator = fresh_uuid();
  const std::string id = create(*c, initiator);
  clock_.advance(3600);
  auto res = c->Post("/v1/m/" + id, {{"Mailbox-Device-Claim", initiator}}, "", "");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
}

TEST_F(HttpsRelay, OversizedBodiesGetJson413) {
  // One byte over the limit reaches the core; far over it is refused by the HTTP layer before reading.
  for (std::size_t size : {std::size_t{4097}, std::size_t{100000}}) {
    auto c = client();
    auto res =
        c->Post("/v1/m", tigress_headers(fresh_uuid(), fresh_uuid()), std::string(size, 'x'), "application/json");
    ASSERT_TRUE(res) << size;
    EXPECT_EQ(res->status, 413) << size;
    auto json = nlohmann::json::parse(res->body, nullptr, false);
    EXPECT_TRUE(json.is_object() && json.contains("error")) << res->body;
  }
  auto next = client()->Get("/v1/m/" + fresh_uuid());
  ASSERT_TRUE(next) << "the relay keeps serving";
  EXPECT_EQ(next->status, 404);
}

TEST_F(HttpsRelay, UnknownMethodGetsJsonError) {
  auto c = client();
  httplib::Request req;
  req.method = "BREW";
  req.path = "/v1/m";
  auto res = c->send(req);
  ASSERT_TRUE(res);
  EXPECT_GE(res->status, 400);
  EXPECT_LT(res->status, 500);
  EXPECT_TRUE(nlohmann::json::parse(res->body, nullptr, false).is_object()) << res->body;
}

TEST_F(HttpsRelay, PlainHttpOnTheTlsPortGetsNoHttpAnswer) {
  httplib::Client plain("127.0.0.1", server_->port());
  plain.set_connection_timeout(2, 0);
  plain.set_read_timeout(2, 0);
  auto res = plain.Post("/v1/m", tigress_headers(fresh_uuid(), fresh_uuid()), create_body().dump(), "application/json");
  EXPECT_FALSE(res) << "a cleartext request must not be processed (4.2, 8.1.1)";
  EXPECT_EQ(store_.begin()->mailbox_count(), 0u);
}

TEST_F(HttpsRelay, RefusesTlsBelow12) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  ASSERT_NE(ctx, nullptr);
  SSL_CTX_set_security_level(ctx, 0);  // let the client even offer TLS 1.1
  SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
  SSL_CTX_set_max_proto_version(ctx, TLS1_1_VERSION);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(server_->port()));
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  EXPECT_NE(SSL_connect(ssl), 1) << "TLS 1.1 handshake must fail";
  SSL_free(ssl);
  close(fd);
  SSL_CTX_free(ctx);
}

}  // namespace
}  // namespace tigress::relay::testing
