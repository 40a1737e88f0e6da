// Test fixtures for the client tests (header-only: every .cpp in this folder that is not a test
// goes into the tigress_client library).
//
// CaptureRelay plays the "harness relay" of the digest (0.4): the reference relay core behind
// a small httplib::SSLServer that logs every request as received and can drop, delay or alter
// responses, so client-side rules (5.1 echo and retry, 8.2.1 fragment stripping, 8.2.1
// integrity) can be checked from the relay's side of the wire.
#pragma once

#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <httplib.h>

#include "common/scratch_dir.hpp"
#include "reference/client/commands.hpp"
#include "reference/codec/base64.hpp"
#include "reference/codec/bodies.hpp"
#include "reference/codec/headers.hpp"
#include "reference/relay/clock.hpp"
#include "reference/relay/memory_store.hpp"
#include "reference/relay/relay.hpp"
#include "reference/tls/tls_material.hpp"

namespace tigress::client::testing {

// A stalled test server writes to a connection the client already dropped; that must be an
// EPIPE, not a SIGPIPE that ends the test binary (tigress-client's main ignores it too).
inline const bool kSigpipeIgnored = (std::signal(SIGPIPE, SIG_IGN), true);

// A fresh directory, removed with everything in it at scope end.
class TempDir : public ScratchDir {
 public:
  TempDir() : ScratchDir("tigress-client") {}
};

inline void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// One self-signed certificate for 127.0.0.1 per test binary (key generation is the slow part).
inline const tls::TlsMaterial& test_tls() {
  static const tls::TlsMaterial material = [] {
    auto generated = tls::generate_self_signed({"localhost"}, {"127.0.0.1"}, 1);
    return generated ? *generated : tls::TlsMaterial{};
  }();
  return material;
}

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

inline CliRun run(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  CliRun result;
  result.code = run_cli(args, out, err);
  result.out = out.str();
  result.err = err.str();
  return result;
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

inline const std::string kCarKey =
    R"({"format":"digitalwallet.carkey.ccc","content":{"vehicleId":"VIN-TEST-0001","keyClass":"owner"}})"
    "\n";
inline const std::string kReply =
    R"({"format":"digitalwallet.carkey.ccc","content":{"status":"provisioned","endpoint":"e-42"}})"
    "\n";

// What a test may do to one exchange.
enum class Fault {
  kNone,
  kStall,             // process the request, then hold the answer past the client's timeout
  kWrongEcho,         // answer with another Mailbox-Request-ID
  kNoEcho,            // answer without Mailbox-Request-ID
  kTamperPayload,     // flip one bit of payload.data in a Read answer
  kStripBody,         // process normally, send the answer with an empty body
  kStatus201,         // process normally, but claim the request was a duplicate
  kHugeBody,          // answer 200 with 2 MiB of body
  kWrongContentType,  // process normally, label the JSON answer text/plain
};

struct Recorded {
  std::size_t index = 0;
  std::string method;
  std::string target;  // path and query as received
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  std::string header(const std::string& name) const {
    for (const auto& [key, value] : headers) {
      if (relay::iequals(key, name)) return value;
    }
    return {};
  }
  bool has_header(const std::string& name) const {
    for (const auto& entry : headers) {
      if (relay::iequals(entry.first, name)) return true;
    }
    return false;
  }
};

class CaptureRelay {
 public:
  static constexpr auto kStallTime = std::chrono::milliseconds(2500);

  CaptureRelay() {
    const tls::TlsMaterial& material = test_tls();
    server_ = std::make_unique<httplib::SSLServer>(
        [&material](SSL_CTX& context) { return tls::configure_server_context(context, material).ok(); });
    server_->set_keep_alive_timeout(1);
    server_->set_read_timeout(2, 0);
    auto handler = [this](const httplib::Request& in, httplib::Response& out) { handle(in, out); };
    server_->Get(".*", handler);
    server_->Post(".*", handler);
    server_->Put(".*", handler);
    server_->Delete(".*", handler);
    server_->Patch(".*", handler);
    port_ = server_->bind_to_any_port("127.0.0.1");
    relay::RelayConfig config;
    config.public_base_url = url();
    relay_.emplace(config);
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~CaptureRelay() {
    server_->stop();
    if (thread_.joinable()) thread_.join();
  }
  CaptureRelay(const CaptureRelay&) = delete;
  CaptureRelay& operator=(const CaptureRelay&) = delete;

  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  bool ok() const { return port_ > 0; }

  void set_fault(std::function<Fault(const Recorded&)> fault) {
    std::lock_guard<std::mutex> lock(mutex_);
    fault_ = std::move(fault);
  }
  std::vector<Recorded> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return log_;
  }

 private:
  void handle(const httplib::Request& in, httplib::Response& out) {
    Recorded record;
    relay::Request request;
    request.method = in.method;
    request.path = in.path;
    if (auto q = in.target.find('?'); q != std::string::npos) request.query = in.target.substr(q + 1);
    for (const auto& [name, value] : in.headers) {
      // httplib's own bookkeeping, not on the wire.
      if (name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" || name == "LOCAL_PORT") {
        continue;
      }
      request.headers.emplace(name, value);
      record.headers.emplace_back(name, value);
    }
    request.body = in.body;
    record.method = in.method;
    record.target = in.target;
    record.body = in.body;

    Fault fault = Fault::kNone;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      record.index = log_.size();
      log_.push_back(record);
      if (fault_) fault = fault_(record);
    }
    relay::Response response = relay_->handle(request, clock_, store_);
    apply(fault, response);
    out.status = response.status;
    std::string content_type;
    for (const auto& [name, value] : response.headers) {
      if (relay::iequals(name, "Content-Type")) {
        content_type = value;
      } else {
        out.set_header(name, value);
      }
    }
    if (!content_type.empty()) {
      out.set_content(response.body, content_type.c_str());
    } else {
      out.body = response.body;
    }
    if (fault == Fault::kStall) std::this_thread::sleep_for(kStallTime);
  }

  static void apply(Fault fault, relay::Response& response) {
    const std::string echo_header(codec::kRequestIdHeader);
    switch (fault) {
      case Fault::kWrongEcho:
        response.headers.erase(echo_header);
        response.set_header(echo_header, "00000000-0000-4000-8000-000000000000");
        break;
      case Fault::kNoEcho:
        response.headers.erase(echo_header);
        break;
      case Fault::kTamperPayload: {
        auto document = nlohmann::json::parse(response.body, nullptr, false);
        if (!document.is_object() || !document.contains("payload")) break;
        auto data = codec::base64_decode(document["payload"]["data"].get<std::string>());
        if (!data || data->empty()) break;
        (*data)[data->size() / 2] ^= 0x01;
        document["payload"]["data"] = codec::base64_encode(*data);
        response.body = document.dump();
        break;
      }
      case Fault::kStripBody:
        response.body.clear();
        break;
      case Fault::kStatus201:
        response.status = 201;
        break;
      case Fault::kHugeBody:
        response.status = 200;
        response.body.assign(2 << 20, 'x');
        break;
      case Fault::kWrongContentType:
        response.set_header("Content-Type", "text/plain");
        break;
      case Fault::kNone:
      case Fault::kStall:
        break;
    }
  }

  std::unique_ptr<httplib::SSLServer> server_;
  int port_ = -1;
  std::optional<relay::Relay> relay_;
  relay::SystemClock clock_;
  relay::MemoryStore store_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<Recorded> log_;
  std::function<Fault(const Recorded&)> fault_;
};

}  // namespace tigress::client::testing
