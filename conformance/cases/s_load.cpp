// Load: many concurrent Creates, Reads and Updates on many mailboxes while short-lived ones
// expire. A relay whose expiry sweep races with inserts and reads answers 500 or loses what it
// had just accepted; one request at a time never shows it. Kept to a few seconds.
#include <atomic>
#include <chrono>
#include <latch>
#include <mutex>
#include <thread>

#include "conformance/cases/relay_checks.hpp"
#include "conformance/framework/case_context.hpp"
#include "harness/protocol/vocabulary.hpp"
#include "harness/redaction.hpp"
#include "reference/codec/timestamp.hpp"
#include "reference/codec/uuid.hpp"

namespace tigress::conformance {
namespace {

using nlohmann::json;
using protocol::Endpoint;

constexpr int kWorkers = 4;
constexpr auto kDuration = std::chrono::seconds(3);
constexpr codec::UnixSeconds kShortLife = 1;  // expires while the load runs

struct Kept {
  std::string path, claim;
};

// What the workers saw, merged under one lock (CaseContext is not thread-safe but for
// send_from_thread: the verdicts are given after the workers are done).
struct Tally {
  std::mutex mutex;
  int requests = 0, server_errors = 0, transport_errors = 0, creates_refused = 0;
  std::string first_server_error, first_transport_error;
  std::vector<Kept> kept;  // long-lived mailboxes created with 200

  void answered(const std::string& what, const Result<harness::HttpResponse>& response) {
    std::lock_guard lock(mutex);
    ++requests;
    if (!response) {
      if (transport_errors++ == 0) first_transport_error = what + ": " + response.error().message();
    } else if (response->status >= 500) {
      if (server_errors++ == 0) {
        first_server_error = what + " answered HTTP " + std::to_string(response->status) + ", body \"" +
                             harness::printable(response->body, 160) + "\"";
      }
    }
  }
};

std::string fresh_uuid() {
  auto id = codec::generate_uuid_v4();
  return id ? id->to_string() : std::string("00000000-0000-4000-8000-000000000000");
}

std::string create_body(codec::UnixSeconds expiration, const json& payload) {
  return json{{"payload", payload},
              {"displayInformation",
               {{"title", "Load"}, {"description", "Conformance load"}, {"imageURL", "https://example.com/key.png"}}},
              {"mailboxConfiguration", {{"accessRights", "RWD"}, {"expiration", codec::format_timestamp(expiration)}}}}
      .dump();
}

std::string path_of(const harness::HttpResponse& created) {
  auto body = json::parse(created.body, nullptr, false);
  if (!body.is_object() || !body.contains("urlLink") || !body["urlLink"].is_string()) return {};
  const std::string target = protocol::link_target(body["urlLink"].get<std::string>());
  return target.substr(0, target.find('?'));
}

}  // namespace

TIGRESS_CASE(kRelay, "robustness/concurrent-load", "robustness", kRobustness, kMust,
             ({"MBX-GEN-09", "MBX-CREATE-01", "MBX-EXP-01"}),
             "concurrent Creates, Reads and Updates while short-lived mailboxes expire: no 5xx, nothing created lost") {
  const RunOptions& options = ctx.options();
  const std::string collection = ctx.collection_path();
  const json payload = ctx.payload();
  Tally tally;
  std::latch start(kWorkers);
  std::vector<std::thread> workers;
  const auto deadline = std::chrono::steady_clock::now() + kDuration;
  // With several instances of one deployment the workers take them in turn.
  const std::vector<harness::TargetInstance> instances = options.instances();
  for (int w = 0; w < kWorkers; ++w) {
    workers.emplace_back([&, w] {
      const harness::TargetInstance& instance = instances[w % instances.size()];
      harness::WireClient client(instance.target, instance.tls, options.limits, options.connection);
      std::vector<Kept> mine;
      start.arrive_and_wait();
      for (int round = 0; std::chrono::steady_clock::now() < deadline; ++round) {
        const auto now = ctx.now();
        const bool short_lived = round % 2 == 0;
        Kept box{"", fresh_uuid()};
        auto created = ctx.send_from_thread(
            client, protocol::build_request(
                        Endpoint::kCreate, collection,
                        {box.claim, fresh_uuid(), create_body(now + (short_lived ? kShortLife : 3600), payload)}));
        tally.answered("CreateMailbox", created);
        if (created && created->status == 200) {
          box.path = path_of(*created);
        } else if (created) {
          std::lock_guard lock(tally.mutex);
          ++tally.creates_refused;
        }
        if (!box.path.empty() && !short_lived) mine.push_back(box);
        // Work on an older mailbox of this worker and on the one just made, whatever its life.
        for (const Kept* target :
             {mine.empty() ? nullptr : &mine[round % mine.size()], box.path.empty() ? nullptr : &box}) {
          if (target == nullptr) continue;
          tally.answered("ReadSecureContentFromMailbox",
                         ctx.send_from_thread(client, protocol::build_request(Endpoint::kRead, target->path,
                                                                              {target->claim, fresh_uuid(), ""})));
          tally.answered("UpdateMailbox",
                         ctx.send_from_thread(client, protocol::build_request(Endpoint::kUpdate, target->path,
                                                                              {target->claim, fresh_uuid(),
                                                                               json{{"payload", payload}}.dump()})));
        }
      }
      std::lock_guard lock(tally.mutex);
      tally.kept.insert(tally.kept.end(), mine.begin(), mine.end());
    });
  }
  for (auto& worker : workers) worker.join();
  // Let the short-lived ones expire for good, then make the relay sweep once more.
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  ctx.note(std::to_string(tally.requests) + " requests by " + std::to_string(kWorkers) + " workers, " +
           std::to_string(tally.kept.size()) + " long-lived mailboxes kept, " + std::to_string(tally.creates_refused) +
           " creates refused");
  ctx.check(tally.server_errors == 0, std::to_string(tally.server_errors) +
                                          " answers under load were 5xx; the first: " + tally.first_server_error +
                                          " (MBX-GEN-09)");
  if (tally.transport_errors > 0) {
    ctx.warn(std::to_string(tally.transport_errors) +
             " requests under load got no HTTP answer; the first: " + tally.first_transport_error);
  }
  if (tally.kept.empty()) ctx.abort_error("no long-lived mailbox was created under load");
  int lost = 0;
  for (const Kept& kept : tally.kept) {
    MailboxRef box;
    box.path = kept.path;
    box.initiator = kept.claim;
    auto read = ctx.read(box, kept.claim);
    if (read.status == 200) continue;
    if (lost++ == 0)
      ctx.check_status(read, {200}, "READ(I) of a long-lived mailbox created under load (MBX-CREATE-01)");
  }
  // The first one not served is the violation (with its answer); the count says how many more.
  if (lost > 0) {
    ctx.note(std::to_string(lost) + " of " + std::to_string(tally.kept.size()) +
             " long-lived mailboxes created under load were not served after it (MBX-CREATE-01)");
  }
}

}  // namespace tigress::conformance
