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

using harness::testing::Connection;
using harness::testing::RawServer;

// An instance with a certificate of its own that counts the requests it answers (each 404).
class CountingInstance {
 public:
  CountingInstance()
      : material_(tls::generate_self_signed({"localhost"}, {"127.0.0.1"}, 1)),
        server_(material_ ? &*material_ : nullptr, [this](Connection& c) {
          if (c.read_head().empty()) return;
          {
            std::lock_guard<std::mutex> lock(mutex_);
            ++requests_;
          }
          c.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        }) {}
  harness::Target target() const { return harness::Target{"127.0.0.1", server_.port(), ""}; }
  std::string cert_pem() const { return material_ ? material_->cert_pem : ""; }
  int requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }

 private:
  Result<tls::TlsMaterial> material_;
  mutable std::mutex mutex_;
  int requests_ = 0;
  RawServer server_;
};

TEST(HttpsTargetInstances, SendsAlternateAndSimultaneousOnesReachEveryInstance) {
  CountingInstance first, second;
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
