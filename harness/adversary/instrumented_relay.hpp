// The relay a client conformance case talks to: the reference relay core
// (reference/relay Relay::handle) behind a TLS accept loop of our own on 127.0.0.1, so that it can
// misbehave at byte level (drop, stall, flood, tamper) as the armed misbehaviours of
// misbehaviours.hpp say, and record every request the client sent, byte for byte, for the
// checks. Its self-signed certificate is what the shim receives with --ca.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/adversary/misbehaviours.hpp"
#include "reference/relay/http_types.hpp"
#include "common/result.hpp"

namespace tigress::harness::adversary {

struct RecordedExchange {
  Operation operation = Operation::kUnknown;
  std::string method, target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string raw;            // the request exactly as received
  int status = 0;             // the status answered; 0 when the answer was dropped or abandoned
  std::string response_body;  // as the relay core produced it, before any trick
  std::string misbehaviour;   // the armed misbehaviour applied to this exchange, if any

  // First value of a header (names compare case-insensitively), nullptr when absent.
  const std::string* header(std::string_view name) const;
  std::size_t header_count(std::string_view name) const;
};

// Rewrites an answer after the armed misbehaviours, just before it is sent (the client response
// fuzzer's mutations); returns what it changed, empty for nothing. The text is appended to the
// exchange's `misbehaviour`. Called on the connection's thread, one answer at a time per client.
using AnswerRewrite = std::function<std::string(Operation, relay::Response&)>;

struct RelayTuning {
  std::chrono::milliseconds stall{12000};  // slow-response
  std::size_t oversized_bytes = 4 << 20;   // oversized-response padding
  std::size_t max_request_bytes = 1 << 20;
};

class InstrumentedRelay {
 public:
  static Result<std::unique_ptr<InstrumentedRelay>> start(RelayTuning tuning = {});
  ~InstrumentedRelay();  // stops accepting, ends every connection, joins every thread
  InstrumentedRelay(const InstrumentedRelay&) = delete;
  InstrumentedRelay& operator=(const InstrumentedRelay&) = delete;

  std::string base_url() const;       // "https://127.0.0.1:PORT"
  const std::string& ca_pem() const;  // the certificate the client must trust

  // Arms a misbehaviour of the catalogue by name (error for unknown names). Armed ones stay
  // armed until disarm_all() or their `times` are used up.
  Status arm(std::string_view name);
  void disarm_all();
  void set_answer_rewrite(AnswerRewrite rewrite);  // replaces the previous one; {}: none

  std::vector<RecordedExchange> exchanges() const;

  struct Impl;

 private:
  explicit InstrumentedRelay(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tigress::harness::adversary
