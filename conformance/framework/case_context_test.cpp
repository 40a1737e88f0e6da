// What a case records when the run goes through a gateway: the extra headers are on the wire
// and in the wire log, but their values are redacted everywhere the report shows them, even
// when the target echoes them back.
#include "conformance/framework/case_context.hpp"

#include <gtest/gtest.h>

#include "harness/raw_server_test_support.hpp"
#include "reference/tls/tls_material.hpp"

namespace tigress::conformance {
namespace {

using harness::testing::Connection;
using harness::testing::RawServer;

TEST(CaseContextGateway, HeaderValuesReachTheTargetButNeverTheReport) {
  auto material = tls::generate_self_signed({"localhost"}, {"127.0.0.1"}, 1);
  ASSERT_TRUE(material.ok());
  harness::testing::TempFile ca(material->cert_pem);
  std::atomic<bool> saw_key{false};
  RawServer server(&*material, [&](Connection& c) {
    const std::string head = c.read_head();
    if (head.find("\r\nX-Api-Key: s3cret\r\n") != std::string::npos) saw_key = true;
    const std::string body = "{\"echo\":\"s3cret\"}";  // a hostile target repeats the secret
    c.write("HTTP/1.1 200 OK\r\nX-Echo: s3cret\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  });

  RunOptions options;
  options.target = harness::Target{"127.0.0.1", server.port(), ""};
  options.tls.ca_file = ca.path();
  options.connection.extra_headers = {{"X-Api-Key", "s3cret"}};
  const CaseDefinition definition{"gateway/redaction", "4", Category::kRobustness, Level::kMust, {}, "t", {}};
  CaseContext ctx(definition, options);
  harness::HttpRequest request;
  request.target = "/v1/m";
  auto response = ctx.try_send(request);
  ASSERT_TRUE(response.ok()) << response.error().message();
  auto raw = ctx.try_send_raw("GET /v1/m HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", "raw");
  ASSERT_TRUE(raw.ok()) << raw.error().message();
  ctx.note("the target said " + response->body);
  const CaseResult result = ctx.finish(Verdict::kPass, "", 1);

  EXPECT_TRUE(saw_key.load()) << "the header reached the target";
  ASSERT_EQ(result.wire.size(), 2u);
  for (const auto& exchange : result.wire) {
    EXPECT_EQ(exchange.request.find("s3cret"), std::string::npos) << exchange.request;
    EXPECT_EQ(exchange.response.find("s3cret"), std::string::npos) << exchange.response;
    EXPECT_NE(exchange.request.find("X-Api-Key: <redacted:header X-Api-Key>"), std::string::npos) << exchange.request;
  }
  EXPECT_EQ(result.detail.find("s3cret"), std::string::npos) << result.detail;
}

}  // namespace
}  // namespace tigress::conformance
