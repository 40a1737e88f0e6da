// What a relay conformance case gets: requests to the relay under test (each one logged,
// redacted and bounded), fresh identities, valid bodies to start from, and on top of the
// recorder's verdict calls (case_recorder.hpp) the relay-specific ones. A case reads as a
// black-box script of the digest's "Black-box check" column.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "conformance/framework/case_recorder.hpp"
#include "conformance/framework/case_registry.hpp"
#include "conformance/framework/exchange_answer.hpp"
#include "conformance/framework/expiry_grace.hpp"
#include "harness/target_instance.hpp"
#include "harness/wire_client.hpp"
#include "reference/codec/timestamp.hpp"
#include "reference/data/data_dir.hpp"

namespace tigress::conformance {

struct RunOptions {
  // The relay under test: its host and path prefix are the ones cases build requests for.
  harness::Target target;
  // Further instances of the same deployment (a repeated --target, say relays behind a load
  // balancer sharing one store), each with its TLS options: a case's requests go round robin over
  // target and these, so binding, duplicates and expiry are checked across instances. Same path
  // prefix as target.
  std::vector<harness::TargetInstance> more_instances;
  // {target, tls}, then more_instances: every address of the deployment, in the order given.
  std::vector<harness::TargetInstance> instances() const;
  harness::TlsOptions tls;
  harness::ClientLimits limits;
  harness::ConnectionOptions connection;  // gateway: extra headers, mTLS, --resolve, --rate
  bool strict = false;                    // SHOULD-level violations FAIL instead of WARN
  std::uint64_t seed = 0;                 // every random choice of every case derives from it
  int jobs = 8;
  codec::UnixSeconds max_ttl = 48 * 3600;  // lifetimes above this are reported (AMB-14, TM-02)
  int expiry_grace_seconds =
      kDefaultExpiryGraceSeconds;  // how long after expiration a mailbox may still be served (AMB-16)
  int identifier_sample = 64;      // mailboxes created for the identifier statistics (8.1.2)
  int concurrent_readers = 20;     // parallel first reads in the binding race case (8.1.1)
  // The catalogue the run cites; cases take the statuses an ambiguity allows from its readings.
  const Catalogue* catalogue = nullptr;
  // The third-party corpora (JSONTestSuite) in the suite's data folder.
  std::string thirdparty_dir = (data::data_dir() / "thirdparty").string();
};

// A mailbox a case created and the claim that created it.
struct MailboxRef {
  std::string id;
  std::string path;  // request target of the mailbox, taken from urlLink (AMB-20)
  std::string url_link;
  std::string initiator;   // the initiator's device claim
  nlohmann::json created;  // the create body that was sent
};

class CaseContext : public CaseRecorder {
 public:
  CaseContext(const CaseDefinition& definition, const RunOptions& options);

  // ---- identities and data -------------------------------------------------------------
  // Fresh random UUIDv4 for claims and request IDs. Drawn from the system's entropy, not from
  // --seed: replaying a seed against the same long-lived relay must not turn the new run's
  // requests into duplicates of the old run's (5.1).
  std::string uuid();
  std::string random_base64(std::size_t bytes);
  nlohmann::json payload(std::size_t bytes = 64);  // {"type":"AEAD_AES_128_GCM","data":...}
  // A valid CreateMailbox body: rights (std::nullopt: no accessRights member), expiration
  // now + expires_in seconds (std::nullopt: no mailboxConfiguration at all when rights is
  // nullopt too, else a configuration without expiration).
  nlohmann::json create_body(std::optional<std::string> rights = "RWD",
                             std::optional<codec::UnixSeconds> expires_in = 3600);
  codec::UnixSeconds now() const;       // this machine's UTC clock
  std::string collection_path() const;  // base + "/v1/m"
  std::string mailbox_path(const std::string& id) const;

  // ---- requests: a transport failure (no HTTP answer) ends the case with ERROR ---------------
  // Each request (raw, cleartext and handshakes included) goes to the next of the run's
  // instances() in turn, starting with the first.
  harness::HttpResponse send(const harness::HttpRequest& request);
  // Like send, but a transport failure is returned instead of ending the case.
  Result<harness::HttpResponse> try_send(const harness::HttpRequest& request);
  Result<harness::HttpResponse> try_send_raw(const std::string& bytes, const std::string& label);
  // Raw bytes that name their target (a Host line): built for the instance they go to, so each
  // instance of a deployment gets its own authority.
  using RawBytesFor = std::function<std::string(const harness::Target& instance)>;
  Result<harness::HttpResponse> try_send_raw(const RawBytesFor& bytes_for, const std::string& label);
  Result<harness::HttpResponse> try_send_cleartext(const std::string& bytes);
  Result<harness::HttpResponse> try_send_cleartext(const RawBytesFor& bytes_for);
  Status try_handshake(int min_version, int max_version);
  // For a case's own threads, each with its own WireClient (the context is otherwise not
  // thread-safe): sends `request` over `client`, and its answer goes through the same claim scan
  // as every other answer. What the scan finds is recorded on the case's thread, at its next
  // request through the context or when the case ends.
  Result<harness::HttpResponse> send_from_thread(const harness::WireClient& client,
                                                 const harness::HttpRequest& request);

  // The requests the endpoint helpers send, for a case that sends one as a positive control.
  harness::HttpRequest create_request(std::optional<std::string> claim, const nlohmann::json& body,
                                      std::optional<std::string> request_id = std::nullopt);
  harness::HttpRequest update_request(const MailboxRef& box, std::optional<std::string> claim,
                                      const nlohmann::json& body, std::optional<std::string> request_id = std::nullopt);
  harness::HttpRequest read_request(const MailboxRef& box, std::optional<std::string> claim,
                                    const std::string& body = "", std::optional<std::string> request_id = std::nullopt);
  harness::HttpRequest remove_request(const MailboxRef& box, std::optional<std::string> claim,
                                      std::optional<std::string> request_id = std::nullopt);
  harness::HttpRequest relinquish_request(const MailboxRef& box, std::optional<std::string> claim,
                                          std::optional<std::string> request_id = std::nullopt);

  // The six endpoints (draft 6.1-6.6). A std::nullopt claim omits Mailbox-Device-Claim; a
  // std::nullopt request id sends a fresh one, "" omits the header.
  harness::HttpResponse create(std::optional<std::string> claim, const nlohmann::json& body,
                               std::optional<std::string> request_id = std::nullopt);
  harness::HttpResponse update(const MailboxRef& box, std::optional<std::string> claim, const nlohmann::json& body,
                               std::optional<std::string> request_id = std::nullopt);
  harness::HttpResponse remove(const MailboxRef& box, std::optional<std::string> claim,
                               std::optional<std::string> request_id = std::nullopt);
  harness::HttpResponse read(const MailboxRef& box, std::optional<std::string> claim, const std::string& body = "",
                             std::optional<std::string> request_id = std::nullopt);
  harness::HttpResponse relinquish(const MailboxRef& box, std::optional<std::string> claim,
                                   std::optional<std::string> request_id = std::nullopt);
  harness::HttpResponse preview(const MailboxRef& box, const std::string& query = "");

  // Setup: a relay refusing these canonical requests (or answering them unusably) FAILs the case
  // with the refusal as its cause ("setup: CreateMailbox answered 400 ..."); only a missing
  // answer is an ERROR.
  MailboxRef create_mailbox(const nlohmann::json& body);
  MailboxRef create_mailbox(std::optional<std::string> rights = "RWD", codec::UnixSeconds expires_in = 3600);
  MailboxRef create_mailbox(const char* rights, codec::UnixSeconds expires_in = 3600) {
    return create_mailbox(std::optional<std::string>(rights), expires_in);
  }
  std::string bind_recipient(const MailboxRef& box);  // a fresh claim that read successfully
  // Ends the case with the setup FAIL for `what` (a canonical request), naming its answer and,
  // when given, a hint at a likely cause.
  [[noreturn]] void setup_refused(const std::string& what, const harness::HttpResponse& response,
                                  const std::string& hint = "");
  // The mailbox a CreateMailbox response names, addressed through its urlLink (AMB-20); a setup
  // FAIL when the response has no usable urlLink.
  MailboxRef mailbox_from(const harness::HttpResponse& created, const std::string& initiator,
                          const nlohmann::json& body);

  // ---- positive controls: no PASS on a refusal without one ------------------------------------
  // A case that may pass on a refusal (a 400 it requires, or a 4xx a reading allows) first sends
  // `request`: the request it varies, without the varied element. Unless the relay takes it
  // (2xx) the case ends BLOCKED with the control's answer (status, the relay's body bounded,
  // escaped and redacted): a refusal of the varied request would say nothing about the
  // requirement. Returns the control's response; readings may be recorded from then on.
  harness::HttpResponse control(const harness::HttpRequest& request, const std::string& what);
  // The usual control of a CreateMailbox case: a valid body (create_body()) from a fresh claim.
  harness::HttpResponse control_create();
  // The usual control of an UpdateMailbox case: UPDATE(I) with the payload `box` was created
  // with (so the payload the case later reads back is unchanged).
  harness::HttpResponse control_update(const MailboxRef& box);

  // ---- verdicts (and those of CaseRecorder) ---------------------------------------------------
  // Every answer the case gets (through send and try_send, as raw bytes, in cleartext, or on a
  // thread of its own through send_from_thread) is also scanned for the device claim of another
  // party than the requester (ClaimLedger): a violation of MBX-BIND-02 in any case.
  // A failed check_status quotes `response` (with the operation it answered, when it is one of
  // the case's recent answers); other violations and warnings quote the last answer.
  bool check_status(const harness::HttpResponse& response, std::initializer_list<int> accepted,
                    const std::string& what);
  bool check_status(const harness::HttpResponse& response, const std::vector<int>& accepted, const std::string& what);
  // The statuses the catalogue's readings of `ambiguity` accept (one reading, or all when
  // `reading` is empty), optionally with further statuses the case allows for its own reasons.
  // Ends the case with ERROR when the catalogue has no such reading: a literal fallback would
  // let the case and the catalogue drift apart again.
  std::vector<int> accepted_statuses(const std::string& ambiguity, const std::string& reading = {});
  // The body as JSON; a violation (and a discarded value) when it is not.
  nlohmann::json json_body(const harness::HttpResponse& response, const std::string& what);

  const RunOptions& options() const { return options_; }
  std::mt19937_64& rng() { return rng_; }

 private:
  harness::HttpResponse must(Result<harness::HttpResponse> result);
  void before_finish() override { record_claim_leaks(); }
  // The claim scan: `requester`'s answer `response` (summarised as `answer`) checked against the
  // ledger. Thread-safe; the leaks it finds wait in leaked_ until record_claim_leaks, which only
  // the case's thread calls.
  void scan_claims(const Answer& answer, const harness::HttpResponse& response, const std::string& requester);
  void record_claim_leaks();
  // Records `response` as the last answer (and among the recent ones check_status looks up).
  Answer remember_answer(std::string exchange, const harness::HttpResponse& response);
  Answer answer_for(const harness::HttpResponse& response) const;

  struct ClaimLeak {
    std::string claim;
    Answer answer;
  };
  std::mutex claims_mutex_;  // guards the three below: the case's threads scan their answers too
  ClaimLedger claims_;
  std::unordered_set<std::string> reported_claims_;  // each leaked claim is one violation per case
  std::vector<ClaimLeak> leaked_;                    // found, not yet recorded
  std::vector<Answer> recent_answers_;               // newest last, bounded
  // "400 Bad Request: {...}": a status and the relay's body as a detail shows them.
  std::string answer_of(const harness::HttpResponse& response) const;
  static constexpr std::size_t kShownBodyBytes = 240;

  // The client of the instance the next request goes to; advances the turn.
  const harness::WireClient& next_client();
  std::string sent_to(const harness::WireClient& client) const;

  const RunOptions& options_;
  std::vector<harness::WireClient> clients_;  // one per instance, in the order of instances()
  std::size_t turn_ = 0;                      // requests sent so far
  std::mt19937_64 rng_;                       // --seed: every data choice of the case
  std::mt19937_64 identity_rng_;              // fresh per run: claims and request IDs
};

}  // namespace tigress::conformance
