// The model over one deployment at several addresses: its sends take the instances in turn, and
// the first reads it sends at the same moment reach different instances.
#include <algorithm>
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

bool received(const RecordingInstance& instance, const WireCall& call) {
  const std::vector<std::string> lines = instance.lines();
  return std::find(lines.begin(), lines.end(), call.method + " " + call.target + " HTTP/1.1") != lines.end();
}

// Where a request goes depends only on its place in the sequence, so a script can replay it there:
// every sequence (reset) starts again at the first instance, simultaneous requests take their turns
// in the order given rather than as their threads run, and each answer names its instance.
TEST(HttpsTargetInstances, EachSequenceStartsAtTheFirstAndSimultaneousOnesTakeTurnsInOrder) {
  RecordingInstance first, second;
  harness::testing::TempFile first_ca(first.cert_pem()), second_ca(second.cert_pem());
  HttpsTarget https({{first.target(), harness::TlsOptions{first_ca.path(), false, 0, 0}},
                     {second.target(), harness::TlsOptions{second_ca.path(), false, 0, 0}}},
                    harness::ClientLimits{}, 1, 3);
  ASSERT_EQ(https.instance_count(), 2u);
  const WireCall a{"POST", "/v1/m/aaaaaaaa-3c5e-4d71-9c39-8a8f7ec5d3b1", {}, ""};
  const WireCall b{"POST", "/v1/m/bbbbbbbb-3c5e-4d71-9c39-8a8f7ec5d3b1", {}, ""};
  const WireCall c{"POST", "/v1/m/cccccccc-3c5e-4d71-9c39-8a8f7ec5d3b1", {}, ""};

  EXPECT_EQ(https.send(a).instance, 0u);
  https.reset();
  EXPECT_EQ(https.send(b).instance, 0u) << "a new sequence starts at the first instance";
  EXPECT_TRUE(received(first, b));
  EXPECT_EQ(second.requests(), 0);

  // Turns 1, 2 and 3 of this sequence: second, first, second, whichever thread runs first.
  const std::vector<WireAnswer> answers = https.send_concurrently({c, a, b});
  ASSERT_EQ(answers.size(), 3u);
  for (const WireAnswer& answer : answers) EXPECT_TRUE(answer.answered) << answer.error;
  EXPECT_EQ(answers[0].instance, 1u);
  EXPECT_EQ(answers[1].instance, 0u);
  EXPECT_EQ(answers[2].instance, 1u);
  EXPECT_TRUE(received(second, c));
  EXPECT_TRUE(received(second, b));
  EXPECT_FALSE(received(second, a));
  EXPECT_EQ(first.requests(), 3);
  EXPECT_EQ(second.requests(), 2);

  https.reset();
  const std::vector<WireAnswer> again = https.send_concurrently({c, a});
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[0].instance, 0u);
  EXPECT_EQ(again[1].instance, 1u);
  EXPECT_TRUE(received(first, c));
  EXPECT_TRUE(received(second, a));
}

}  // namespace
}  // namespace tigress::model
