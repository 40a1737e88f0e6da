#include "conformance/model/target.hpp"

#include <chrono>
#include <cstddef>
#include <latch>
#include <system_error>
#include <thread>

namespace tigress::model {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Shell-safe enough for a default value: the script quotes it again.
std::string cacert_flag(const std::string& path) { return "--cacert " + path; }

}  // namespace

WireCall to_wire_call(harness::HttpRequest request) {
  return {std::move(request.method), std::move(request.target), std::move(request.headers), std::move(request.body)};
}

std::optional<std::string> WireAnswer::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return std::nullopt;
}

std::vector<WireAnswer> ModelTarget::send_concurrently(const std::vector<WireCall>& calls) {
  return send_together(calls.size(), [&](std::size_t i) { return send(calls[i]); });
}

std::vector<WireAnswer> ModelTarget::send_together(std::size_t count,
                                                   const std::function<WireAnswer(std::size_t)>& send_one) {
  std::vector<WireAnswer> answers(count);
  // The barrier releases the requests only once every thread runs, so they overlap at the
  // relay rather than trickling in at thread start-up pace.
  std::latch start(static_cast<std::ptrdiff_t>(count));
  std::vector<std::thread> threads;
  threads.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    try {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        answers[i] = send_one(i);
      });
    } catch (const std::system_error& failure) {
      // Out of threads: release those already waiting; the rest are reported as unanswered.
      for (std::size_t j = i; j < count; ++j) answers[j].error = std::string("no thread: ") + failure.what();
      start.count_down(static_cast<std::ptrdiff_t>(count - i));
      break;
    }
  }
  for (auto& thread : threads) thread.join();
  return answers;
}

// ---- in-process -------------------------------------------------------------------------

InProcessTarget::InProcessTarget(relay::RelayConfig config)
    : relay_(std::move(config)), clock_(kStart), store_(std::make_unique<relay::MemoryStore>()) {}

void InProcessTarget::reset() {
  clock_.set(kStart);
  store_ = std::make_unique<relay::MemoryStore>();
}

WireAnswer InProcessTarget::send(const WireCall& call) {
  relay::Request request;
  request.method = call.method;
  const std::size_t question = call.target.find('?');
  request.path = call.target.substr(0, question);
  if (question != std::string::npos) request.query = call.target.substr(question + 1);
  for (const auto& [name, value] : call.headers) request.headers.emplace(name, value);
  request.body = call.body;

  WireAnswer answer;
  answer.sent = answer.received = clock_.now();
  const relay::Response response = relay_.handle(request, clock_, *store_);
  answer.answered = true;
  answer.status = response.status;
  for (const auto& [name, value] : response.headers) answer.headers.emplace_back(name, value);
  answer.body = response.body;
  return answer;
}

// ---- HTTPS ------------------------------------------------------------------------------

HttpsTarget::HttpsTarget(std::vector<harness::TargetInstance> instances, harness::ClientLimits limits,
                         Seconds clock_skew, Seconds expiry_grace, harness::ConnectionOptions connection)
    : clock_skew_(clock_skew), expiry_grace_(expiry_grace) {
  for (auto& instance : instances) clients_.emplace_back(instance.target, instance.tls, limits, connection);
}

Seconds HttpsTarget::now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void HttpsTarget::pass_time(Seconds seconds) { std::this_thread::sleep_for(std::chrono::seconds(seconds)); }

std::string HttpsTarget::instance_tls_flags(std::size_t instance) const {
  const harness::TlsOptions& tls = clients_.at(instance).tls();
  if (tls.insecure) return "-k";
  return tls.ca_file.empty() ? std::string() : cacert_flag(tls.ca_file);
}

ModelOptions HttpsTarget::timing() const {
  ModelOptions options;
  options.clock_skew = clock_skew_;
  options.expiry_grace = expiry_grace_;
  return options;
}

WireAnswer HttpsTarget::send(const WireCall& call) { return send_to(turn_.fetch_add(1) % clients_.size(), call); }

std::vector<WireAnswer> HttpsTarget::send_concurrently(const std::vector<WireCall>& calls) {
  // The turns are taken here, in the order of the calls, not by the threads as they run.
  const std::size_t first = turn_.fetch_add(calls.size());
  return send_together(calls.size(), [&](std::size_t i) { return send_to((first + i) % clients_.size(), calls[i]); });
}

WireAnswer HttpsTarget::send_to(std::size_t instance, const WireCall& call) {
  harness::HttpRequest request;
  request.method = call.method;
  request.target = call.target;
  request.headers = call.headers;
  request.body = call.body;

  WireAnswer answer;
  answer.instance = instance;
  // Whole seconds that surely enclose the relay's handling: floor before, ceiling after.
  answer.sent = now();
  auto response = clients_[instance].send(request);
  answer.received = now() + 1;
  if (!response) {
    answer.error = response.error().message();
    return answer;
  }
  answer.answered = true;
  answer.status = response->status;
  answer.headers = response->headers;
  answer.body = response->body;
  return answer;
}

}  // namespace tigress::model
