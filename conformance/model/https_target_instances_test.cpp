// The model over one deployment at several addresses: its sends take the instances in turn, and
// the first reads it sends at the same moment reach different instances.
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "conformance/model/target.hpp"
#include "harness/raw_server_test_support.hpp"
#include "reference/tls/tls_material.hpp"

namespace tigress::model {
namespace {

using harness::testing::RecordingInstance;

TEST(HttpsTargetInstances, SendsAlternateAndSimultaneousOnesReachEveryInstance) {
  RecordingInstance first, second;  // each answers 404
  harness::testing::TempFile first_ca(first.cert_pem()), second_ca(second.cert_pem());
  HttpsTarget https({{first.target(), harness::TlsOptions{first_ca.path(), false, 0, 0}},
                     {second.target(), harness::TlsOptions{second_ca.path(), false, 0, 0}}},
                    harness::ClientLimits{}, 1, 3);
  EXPECT_EQ(https.url(), first.target().url());
  const WireCall call{"POST", "/v1/m/0b7f7ac4-3c5e-4d71-9c39-8a8f7ec5d3b1", {}, ""};

  EXPECT_EQ(https.send(call).status, 404);
  EXPECT_EQ(first.requests(), 1);
  EXPECT_EQ(second.requests(), 0);
  EXPECT_EQ(https.send(call).status, 404);
  EXPECT_EQ(second.requests(), 1);

  for (const WireAnswer& answer : https.send_concurrently({call, call})) {
    EXPECT_TRUE(answer.answered) << answer.error;
  }
  EXPECT_EQ(first.requests(), 2);
  EXPECT_EQ(second.requests(), 2) << "two reads sent at once went to different instances";
  for (const WireAnswer& answer : https.send_concurrently({call, call, call})) EXPECT_TRUE(answer.answered);
  EXPECT_EQ(first.requests() + second.requests(), 7);
  EXPECT_GE(second.requests(), 3);
  EXPECT_GE(first.requests(), 3);
}

}  // namespace
}  // namespace tigress::model
