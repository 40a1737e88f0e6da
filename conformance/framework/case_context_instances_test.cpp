// One deployment at several addresses: a case's requests take the instances in turn (each
// instance sees every other request, raw ones included), each instance verified against its own
// CA or against one bundle, and the health probe probes every instance.
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "conformance/framework/case_context.hpp"
#include "conformance/framework/relay_health_probe.hpp"
#include "conformance/framework/runner.hpp"
#include "harness/raw_server_test_support.hpp"
#include "reference/tls/tls_material.hpp"

namespace tigress::conformance {
namespace {

using harness::testing::RecordingInstance;

const CaseDefinition kSpread{"6.5/spread", "6.5", Category::kAntiReplay, Level::kMust, {}, "t", {}};

harness::HttpRequest numbered(int n) {
  harness::HttpRequest request;
  request.target = "/v1/m/" + std::to_string(n);
  return request;
}

// A deployment at `first` and `second`, both trusted through one bundle of CAs.
RunOptions bundled_instances(const RecordingInstance& first, const RecordingInstance& second,
                             const harness::testing::TempFile& bundle) {
  RunOptions options;
  options.target = first.target();
  options.tls.ca_file = bundle.path();
  options.more_instances = {{second.target(), options.tls}};
  return options;
}

// Both instances present a self-signed CN=localhost certificate of their own, each trusted
// through its own CA file (--ca once per --target).
TEST(CaseContextInstances, RequestsAlternateBetweenInstancesWithACaOfTheirOwn) {
  RecordingInstance first, second;
  ASSERT_NE(first.cert_pem(), second.cert_pem()) << "each instance has a certificate of its own";
  harness::testing::TempFile first_ca(first.cert_pem()), second_ca(second.cert_pem());
  RunOptions options;
  options.target = first.target();
  options.tls.ca_file = first_ca.path();
  options.more_instances = {{second.target(), harness::TlsOptions{second_ca.path(), false, 0, 0}}};
  ASSERT_EQ(options.instances().size(), 2u);

  CaseContext ctx(kSpread, options);
  for (int n = 0; n < 4; ++n) {
    auto response = ctx.try_send(numbered(n));
    ASSERT_TRUE(response.ok()) << n << ": " << response.error().message();
    EXPECT_EQ(response->status, 404);
  }
  auto raw = ctx.try_send_raw("GET /v1/m/raw HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", "probe");
  ASSERT_TRUE(raw.ok()) << raw.error().message();
  const CaseResult result = ctx.finish(Verdict::kPass, "", 1);

  EXPECT_EQ(first.lines(),
            (std::vector<std::string>{"GET /v1/m/0 HTTP/1.1", "GET /v1/m/2 HTTP/1.1", "GET /v1/m/raw HTTP/1.1"}));
  EXPECT_EQ(second.lines(), (std::vector<std::string>{"GET /v1/m/1 HTTP/1.1", "GET /v1/m/3 HTTP/1.1"}));
  ASSERT_EQ(result.wire.size(), 5u);
  EXPECT_EQ(result.wire[4].request.find("[raw probe to " + first.target().url() + "]"), 0u) << result.wire[4].request;
}

// Raw bytes that name their target are built for the instance they go to: each instance of the
// deployment sees its own authority in the Host line.
TEST(CaseContextInstances, RawBytesBuiltPerInstanceCarryThatInstancesHost) {
  RecordingInstance first(404, "instance-a"), second(404, "instance-b");
  harness::testing::TempFile bundle(first.cert_pem() + second.cert_pem());
  const RunOptions options = bundled_instances(first, second, bundle);
  CaseContext ctx(kSpread, options);
  const auto probe = [](const harness::Target& instance) {
    return "GET /v1/m/raw HTTP/1.1\r\nHost: " + instance.host + ":" + std::to_string(instance.port) +
           "\r\nConnection: close\r\n\r\n";
  };
  for (int n = 0; n < 2; ++n) ASSERT_TRUE(ctx.try_send_raw(probe, "probe").ok());
  const auto host_line = [](const harness::Target& instance) {
    return "\r\nHost: 127.0.0.1:" + std::to_string(instance.port) + "\r\n";
  };
  ASSERT_EQ(first.heads().size(), 1u);
  ASSERT_EQ(second.heads().size(), 1u);
  EXPECT_NE(first.heads()[0].find(host_line(first.target())), std::string::npos) << first.heads()[0];
  EXPECT_NE(second.heads()[0].find(host_line(second.target())), std::string::npos) << second.heads()[0];
  ASSERT_NE(first.target().port, second.target().port);
}

// One --ca for every target: a bundle of both CAs, which OpenSSL tells apart by subject name.
TEST(CaseContextInstances, OneBundleOfCasWithDistinctSubjectsTrustsEveryInstance) {
  RecordingInstance first(404, "instance-a"), second(404, "instance-b");
  harness::testing::TempFile bundle(first.cert_pem() + second.cert_pem());
  const RunOptions options = bundled_instances(first, second, bundle);  // the context keeps a reference
  CaseContext ctx(kSpread, options);
  for (int n = 0; n < 2; ++n) {
    auto response = ctx.try_send(numbered(n));
    ASSERT_TRUE(response.ok()) << n << ": " << response.error().message();
  }
  EXPECT_EQ(first.lines().size(), 1u);
  EXPECT_EQ(second.lines().size(), 1u);
}

TEST(CaseContextInstances, OneTargetSendsEverythingThereAndLabelsNothing) {
  RecordingInstance only;
  harness::testing::TempFile ca(only.cert_pem());
  RunOptions options;
  options.target = only.target();
  options.tls.ca_file = ca.path();
  CaseContext ctx(kSpread, options);
  for (int n = 0; n < 3; ++n) ASSERT_TRUE(ctx.try_send(numbered(n)).ok());
  ASSERT_TRUE(ctx.try_send_raw("GET /v1/m/raw HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", "probe").ok());
  const CaseResult result = ctx.finish(Verdict::kPass, "", 1);
  EXPECT_EQ(only.lines().size(), 4u);
  ASSERT_EQ(result.wire.size(), 4u);
  EXPECT_EQ(result.wire[3].request.find("[raw probe]"), 0u) << result.wire[3].request;
}

// A deployment where one instance fails: the probe of every instance names it, although the
// instance the round robin would have sent the probe's first request to serves.
TEST(CaseContextInstances, TheHealthProbeNamesTheInstanceThatStoppedServing) {
  RecordingInstance serving(404, "serving"), broken(503, "broken");
  harness::testing::TempFile bundle(serving.cert_pem() + broken.cert_pem());
  RunOptions options = bundled_instances(serving, broken, bundle);
  Status probed = probe_every_instance(options);
  ASSERT_FALSE(probed.ok());
  EXPECT_EQ(probed.error().message().find(broken.target().url() + ": CreateMailbox answered 503"), 0u)
      << probed.error().message();
  EXPECT_EQ(broken.lines().size(), 1u);
  EXPECT_EQ(serving.lines().size(), 1u) << "the serving instance was probed on its own";

  options.more_instances.clear();
  EXPECT_TRUE(probe_every_instance(options).ok()) << "a Create refused with 404 is an answer, not a stop";
}

}  // namespace
}  // namespace tigress::conformance
