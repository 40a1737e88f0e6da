#include "harness/adversary/instrumented_relay.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "harness/adversary/server_connection.hpp"
#include "harness/adversary/tricks.hpp"
#include "harness/key_log.hpp"
#include "reference/codec/headers.hpp"
#include "reference/codec/json_in_place.hpp"
#include "reference/relay/clock.hpp"
#include "reference/relay/http_types.hpp"
#include "reference/relay/memory_store.hpp"
#include "reference/relay/relay.hpp"
#include "reference/tls/tls_material.hpp"

namespace tigress::harness::adversary {
namespace {

codec::UnixSeconds system_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

const char* reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 404:
      return "Not Found";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    default:
      return status < 400 ? "OK" : status < 500 ? "Client Error" : "Server Error";
  }
}

std::string serialize(const relay::Response& response) {
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " + reason_phrase(response.status) + "\r\n";
  for (const auto& [name, value] : response.headers) {
    if (relay::iequals(name, "Content-Length") || relay::iequals(name, "Connection")) continue;
    out += name + ": " + value + "\r\n";
  }
  out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n\r\n";
  out += response.body;
  return out;
}

}  // namespace

const std::string* RecordedExchange::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (relay::iequals(key, name)) return &value;
  }
  return nullptr;
}

std::size_t RecordedExchange::header_count(std::string_view name) const {
  std::size_t count = 0;
  for (const auto& entry : headers) count += relay::iequals(entry.first, name) ? 1 : 0;
  return count;
}

struct InstrumentedRelay::Impl {
  struct Armed {
    const Misbehaviour* entry;
    int remaining;  // 0: unlimited
  };

  RelayTuning tuning;
  tls::TlsMaterial material;
  SSL_CTX* context = nullptr;
  int listener = -1;
  int port = 0;
  std::unique_ptr<relay::Relay> core;
  relay::MemoryStore store;
  relay::ManualClock clock{system_now()};
  codec::UnixSeconds clock_offset = 0;  // grows when a misbehaviour expires everything

  std::atomic<bool> stop{false};
  std::thread acceptor;
  mutable std::mutex mutex;  // guards everything below
  std::vector<std::thread> connections;
  std::vector<Armed> armed;
  AnswerRewrite answer_rewrite;
  std::vector<RecordedExchange> records;
  std::map<std::string, std::string> first_payload;  // mailbox path -> payload JSON at creation

  ~Impl() {
    stop = true;
    if (acceptor.joinable()) acceptor.join();
    std::vector<std::thread> running;
    {
      std::lock_guard<std::mutex> lock(mutex);
      running.swap(connections);
    }
    for (auto& t : running) t.join();
    if (listener >= 0) ::close(listener);
    if (context != nullptr) SSL_CTX_free(context);
  }

  void accept_loop() {
    while (!stop.load()) {
      pollfd entry{listener, POLLIN, 0};
      if (::poll(&entry, 1, 50) <= 0) continue;
      const int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      std::lock_guard<std::mutex> lock(mutex);
      connections.emplace_back([this, fd] { serve(fd); });
    }
  }

  // The armed misbehaviours that apply to this operation (not yet consumed: see consume()).
  std::vector<const Misbehaviour*> tricks_for(Operation operation) {
    std::lock_guard<std::mutex> lock(mutex);
    std::vector<const Misbehaviour*> tricks;
    for (const auto& entry : armed) {
      if (!entry.entry->operation || *entry.entry->operation == operation) tricks.push_back(entry.entry);
    }
    return tricks;
  }

  // One use of a misbehaviour that really changed an answer; a limited one is disarmed when used up.
  void consume(const Misbehaviour* used) {
    std::lock_guard<std::mutex> lock(mutex);
    for (auto it = armed.begin(); it != armed.end(); ++it) {
      if (it->entry != used) continue;
      if (it->remaining > 0 && --it->remaining == 0) armed.erase(it);
      return;
    }
  }

  void remember_first_payload(const RecordedExchange& exchange) {
    if (exchange.operation != Operation::kCreate || exchange.status != 200) return;
    const auto body = nlohmann::json::parse(exchange.body, nullptr, false);
    const auto reply = nlohmann::json::parse(exchange.response_body, nullptr, false);
    if (!body.is_object() || !body.contains("payload") || !reply.is_object() || !reply.contains("urlLink") ||
        !reply["urlLink"].is_string()) {
      return;
    }
    // The client's payload may nest as deep as its body is long: one too deep to serialise is
    // not kept, and the stale-replay trick then has nothing to replay for this mailbox.
    const auto& payload = body["payload"];
    if (codec::json_in_place::nests_deeper_than(payload, codec::json_in_place::kMaxStructuredDepth)) return;
    const std::string target = protocol::link_target(reply["urlLink"].get<std::string>());
    std::lock_guard<std::mutex> lock(mutex);
    first_payload.emplace(target.substr(0, target.find('?')), payload.dump());
  }

  std::string stale_payload_for(const std::string& path) const {
    std::lock_guard<std::mutex> lock(mutex);
    auto found = first_payload.find(path);
    return found == first_payload.end() ? std::string() : found->second;
  }

  // Answers one request; false when the connection must close (dropped answer, write failure).
  bool exchange(ServerConnection& connection, const ReceivedRequest& received) {
    RecordedExchange record;
    record.method = received.method;
    record.target = received.target;
    record.headers = received.headers;
    record.body = received.body;
    record.raw = received.raw;
    relay::Request request;
    request.method = received.method;
    const auto query = received.target.find('?');
    request.path = received.target.substr(0, query);
    // A client that followed one of our redirects: served like the original request (so a
    // follower still gets an answer), recorded with its real target, never redirected again.
    const bool redirected = request.path.rfind(kRedirectedPrefix, 0) == 0;
    if (redirected) request.path.erase(0, kRedirectedPrefix.size());
    if (query != std::string::npos) request.query = received.target.substr(query + 1);
    for (const auto& [name, value] : received.headers) request.headers.emplace(name, value);
    request.body = received.body;
    record.operation =
        received.malformed ? Operation::kUnknown : protocol::classify_attempt(request.method, request.path).endpoint;

    // A misbehaviour is recorded (and used up) only when it really changed the answer: a
    // rewrite that finds nothing to rewrite (no echo to falsify, no payload to tamper with)
    // leaves the exchange authentic and the misbehaviour armed for the next one.
    const std::vector<const Misbehaviour*> candidates =
        redirected ? std::vector<const Misbehaviour*>{} : tricks_for(record.operation);
    std::vector<Trick> tricks;
    std::vector<const Misbehaviour*> applied;
    for (const Misbehaviour* candidate : candidates) {
      if (!is_rewrite(candidate->trick)) {
        tricks.push_back(candidate->trick);
        applied.push_back(candidate);
      }
    }
    auto has = [&](Trick t) { return std::find(tricks.begin(), tricks.end(), t) != tricks.end(); };

    relay::Response response;
    if (received.malformed) {
      response.status = 400;
      response.set_header("Content-Type", "application/json");
      response.body = R"({"error":"bad_request","detail":"malformed HTTP request"})";
    } else if (has(Trick::kForceUnauthorized)) {
      response.status = 401;
      response.set_header("Content-Type", "application/json");
      response.body = R"({"error":"unauthorized","detail":"Mailbox-Device-Claim: refused by the test relay"})";
      if (const std::string* id = request.header(codec::kRequestIdHeader)) {
        response.set_header(codec::kRequestIdHeader, *id);
      }
    } else {
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (has(Trick::kExpireFirst)) clock_offset += core->config().max_ttl + 3600;
        clock.set(system_now() + clock_offset);
      }
      response = core->handle(request, clock, store);
    }
    record.status = response.status;
    record.response_body = response.body;
    remember_first_payload(record);

    for (const Misbehaviour* candidate : candidates) {
      if (!is_rewrite(candidate->trick)) continue;
      RewriteContext context{tuning.oversized_bytes, std::string(), received.target, port};
      if (candidate->trick == Trick::kStaleReplay) context.stale_payload_json = stale_payload_for(request.path);
      if (rewrite_response(candidate->trick, response, context)) applied.push_back(candidate);
    }
    for (const Misbehaviour* used : applied) {
      consume(used);
      record.misbehaviour += (record.misbehaviour.empty() ? "" : ",") + std::string(used->name);
    }
    AnswerRewrite rewrite;
    {
      std::lock_guard<std::mutex> lock(mutex);
      rewrite = answer_rewrite;
    }
    if (rewrite) {
      const std::string changed = rewrite(record.operation, response);
      if (!changed.empty()) record.misbehaviour += (record.misbehaviour.empty() ? "" : ",") + changed;
    }

    // Recorded before any byte goes out: a client may see (part of) the answer and exit while
    // a long write or a stall is still under way, and the case reads the records right then.
    const bool drop = has(Trick::kDropResponse);
    if (drop) record.status = 0;
    std::size_t index;
    {
      std::lock_guard<std::mutex> lock(mutex);
      index = records.size();
      records.push_back(std::move(record));
    }
    if (drop) return false;
    if (has(Trick::kSlowResponse) && !connection.stall(tuning.stall)) {
      std::lock_guard<std::mutex> lock(mutex);
      records[index].status = 0;
      return false;
    }
    return connection.write(serialize(response));
  }

  void serve(int fd) {
    ServerConnection connection(fd, context, stop);
    if (!connection.handshake()) return;
    while (!stop.load()) {
      auto request = connection.read_request(tuning.max_request_bytes);
      if (!request) return;
      if (!exchange(connection, *request)) return;
    }
  }
};

InstrumentedRelay::InstrumentedRelay(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

InstrumentedRelay::~InstrumentedRelay() = default;

Result<std::unique_ptr<InstrumentedRelay>> InstrumentedRelay::start(RelayTuning tuning) {
  auto impl = std::make_unique<Impl>();
  impl->tuning = tuning;
  auto material = tls::generate_self_signed({"localhost"}, {"127.0.0.1"}, 2);
  if (!material) return material.error();
  impl->material = std::move(*material);
  impl->context = SSL_CTX_new(TLS_server_method());
  if (impl->context == nullptr) return make_error("cannot create a TLS server context");
  if (auto status = tls::configure_server_context(*impl->context, impl->material); !status) return status.error();
  // Each connection is served by its own thread with short socket timeouts (see
  // server_connection.cpp), so partial writes and retries stay inside SSL_write.
  SSL_CTX_set_mode(impl->context, SSL_MODE_AUTO_RETRY);
  harness::install_key_log(impl->context);  // SSLKEYLOGFILE: decrypt the client cases' captures

  impl->listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (impl->listener < 0) return make_error("cannot create a socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(impl->listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(impl->listener, 64) != 0 ||
      ::getsockname(impl->listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    return make_error("cannot listen on 127.0.0.1");
  }
  impl->port = ntohs(address.sin_port);
  relay::RelayConfig config;
  config.public_base_url = "https://127.0.0.1:" + std::to_string(impl->port);
  impl->core = std::make_unique<relay::Relay>(config);
  Impl* raw = impl.get();
  impl->acceptor = std::thread([raw] { raw->accept_loop(); });
  return std::unique_ptr<InstrumentedRelay>(new InstrumentedRelay(std::move(impl)));
}

std::string InstrumentedRelay::base_url() const { return "https://127.0.0.1:" + std::to_string(impl_->port); }

const std::string& InstrumentedRelay::ca_pem() const { return impl_->material.cert_pem; }

Status InstrumentedRelay::arm(std::string_view name) {
  const Misbehaviour* entry = find_misbehaviour(name);
  if (entry == nullptr) return make_error("unknown misbehaviour " + std::string(name));
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->armed.push_back(Impl::Armed{entry, entry->times});
  return {};
}

void InstrumentedRelay::disarm_all() {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->armed.clear();
}

void InstrumentedRelay::set_answer_rewrite(AnswerRewrite rewrite) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->answer_rewrite = std::move(rewrite);
}

std::vector<RecordedExchange> InstrumentedRelay::exchanges() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->records;
}

}  // namespace tigress::harness::adversary
