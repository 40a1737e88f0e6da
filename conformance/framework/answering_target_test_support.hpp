// A TLS target on loopback that answers every request with one fixed status and JSON body,
// and the run options that reach it: the relay the case-framework tests judge answers from.
#pragma once

#include <string>
#include <utility>

#include "conformance/framework/runner.hpp"
#include "harness/raw_server_test_support.hpp"
#include "reference/tls/tls_material.hpp"

namespace tigress::conformance::testing {

class AnsweringTarget {
 public:
  AnsweringTarget(int status, std::string body)
      : material_(tls::generate_self_signed({"localhost"}, {"127.0.0.1"}, 1)),
        ca_(material_ ? material_->cert_pem : ""),
        server_(material_ ? &*material_ : nullptr, [status, body = std::move(body)](harness::testing::Connection& c) {
          while (!c.read_head().empty()) {
            c.write("HTTP/1.1 " + std::to_string(status) +
                    " Answer\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                    "\r\n\r\n" + body);
          }
        }) {
    options.target = harness::Target{"127.0.0.1", server_.port(), ""};
    options.tls.ca_file = ca_.path();
  }
  RunOptions options;

 private:
  Result<tls::TlsMaterial> material_;
  harness::testing::TempFile ca_;
  harness::testing::RawServer server_;
};

}  // namespace tigress::conformance::testing
