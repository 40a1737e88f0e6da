// Where model sequences run: the relay core in-process (with an injected clock, so time passes
// instantly and exactly) or any relay over HTTPS (time passes for real). The model never sees
// which one it talks to.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "conformance/model/model.hpp"
#include "harness/target_instance.hpp"
#include "harness/wire_client.hpp"
#include "reference/relay/clock.hpp"
#include "reference/relay/memory_store.hpp"
#include "reference/relay/relay.hpp"

namespace tigress::model {

using HeaderPairs = std::vector<std::pair<std::string, std::string>>;

struct WireCall {
  std::string method;
  std::string target;  // origin-form: path and optional query
  HeaderPairs headers;
  std::string body;
};

// The call of a request built by the protocol vocabulary (protocol::build_request).
WireCall to_wire_call(harness::HttpRequest request);

struct WireAnswer {
  bool answered = false;  // false: no HTTP answer (error says why)
  std::string error;
  int status = 0;
  HeaderPairs headers;
  std::string body;
  Seconds sent = 0, received = 0;  // the target's notion of now around the exchange
  std::size_t instance = 0;        // which of the target's instances it was sent to (see instance_count)
  std::optional<std::string> header(std::string_view name) const;
};

class ModelTarget {
 public:
  virtual ~ModelTarget() = default;
  virtual WireAnswer send(const WireCall& call) = 0;
  // Sends every call at the same moment, one thread each, released together by a start
  // barrier; answers in the order of `calls`. The default calls send() from those threads, so
  // send() must be safe to call concurrently (both targets below are).
  virtual std::vector<WireAnswer> send_concurrently(const std::vector<WireCall>& calls);
  virtual Seconds now() const = 0;
  virtual void pass_time(Seconds seconds) = 0;
  // Called before every sequence, so sequences do not see each other's mailboxes.
  virtual void reset() {}
  virtual std::string base_path() const { return {}; }  // prefix before "/v1"
  virtual std::string url() const = 0;                  // for scripts and reports
  virtual std::string tls_flags() const = 0;            // curl's TLS flags for the script
  // How exact the timing is: in-process exactly, over the network with tolerances.
  virtual ModelOptions timing() const = 0;
  // Instances of one deployment the target spreads its sends over; each answer names the one
  // its request went to (WireAnswer::instance), so a script can send every step there too.
  virtual std::size_t instance_count() const { return 1; }

 protected:
  // send_concurrently's start barrier: send_one(0..count-1), one thread each, released together.
  static std::vector<WireAnswer> send_together(std::size_t count,
                                               const std::function<WireAnswer(std::size_t)>& send_one);
};

// Relay::handle with a ManualClock and a fresh MemoryStore per sequence. Concurrent sends are
// safe: handle() is const, the clock atomic and the store locks per transaction, as in the
// relay server; only reset() must not overlap a send.
class InProcessTarget final : public ModelTarget {
 public:
  static constexpr Seconds kStart = 1'900'000'000;  // 2030-03-17T17:46:40Z
  explicit InProcessTarget(relay::RelayConfig config);

  WireAnswer send(const WireCall& call) override;
  Seconds now() const override { return clock_.now(); }
  void pass_time(Seconds seconds) override { clock_.advance(seconds); }
  void reset() override;
  std::string url() const override { return "https://127.0.0.1:8443"; }
  std::string tls_flags() const override { return "-k"; }
  ModelOptions timing() const override { return {}; }

 private:
  relay::Relay relay_;
  relay::ManualClock clock_;
  std::unique_ptr<relay::MemoryStore> store_;
};

// Any relay over HTTPS through the harness's WireClient (one connection per request, deadline,
// bounded responses; send() keeps no per-request state, so concurrent sends use parallel
// connections). Now is the local wall clock; passing time sleeps.
//
// Several instances of one deployment (same path prefix): each send goes to the next one in turn, and the turns start
// again at the first instance with every sequence (reset), so where a request goes depends only on its place in its
// sequence: not on what this target ran before, nor on the timing of parallel workers, and a script replays each step
// through the instance it reached. Sends made at the same moment (send_concurrently) take consecutive turns in the
// order of the calls, so any two of them reach different instances.
class HttpsTarget final : public ModelTarget {
 public:
  // At least one instance.
  HttpsTarget(std::vector<harness::TargetInstance> instances, harness::ClientLimits limits, Seconds clock_skew,
              Seconds expiry_grace, harness::ConnectionOptions connection = {});
  HttpsTarget(harness::Target target, harness::TlsOptions tls, harness::ClientLimits limits, Seconds clock_skew,
              Seconds expiry_grace, harness::ConnectionOptions connection = {})
      : HttpsTarget({{std::move(target), std::move(tls)}}, limits, clock_skew, expiry_grace, std::move(connection)) {}

  WireAnswer send(const WireCall& call) override;
  std::vector<WireAnswer> send_concurrently(const std::vector<WireCall>& calls) override;
  Seconds now() const override;
  void pass_time(Seconds seconds) override;
  void reset() override { turn_ = 0; }
  std::string base_path() const override { return clients_.front().target().base_path; }
  std::string url() const override { return instance_url(0); }
  std::string tls_flags() const override { return instance_tls_flags(0); }
  ModelOptions timing() const override;
  std::size_t instance_count() const override { return clients_.size(); }
  std::string instance_url(std::size_t instance) const { return clients_.at(instance).target().url(); }
  std::string instance_tls_flags(std::size_t instance) const;

 private:
  WireAnswer send_to(std::size_t instance, const WireCall& call);

  std::vector<harness::WireClient> clients_;  // one per instance, in the order given
  std::atomic<std::size_t> turn_{0};          // sends in this sequence so far
  Seconds clock_skew_, expiry_grace_;
};

}  // namespace tigress::model
