// A model of a TIGRESS mailbox relay's observable behaviour, written from
// draft-vinokurov-tigress-http-00 and the requirement catalogue (conformance/requirements.json),
// independent of the reference relay's code. It is a pure state machine: it never talks to a
// relay. The caller sends a request, then hands the model the request and the answer; the model
// says whether the answer is one a conforming relay may give in the current state and advances.
//
// States per mailbox follow AMB-66: ABSENT -> OPEN (initiator, no recipient) -> BOUND
// (initiator + recipient) -> OPEN again (relinquish) / DELETED (delete) / EXPIRED. Per device
// claim the model keeps the last successfully processed Mailbox-Request-ID (5.1).
//
// Where the draft is ambiguous the model accepts every defensible outcome of the catalogue
// (conformance/requirements.json, "acceptable"), and the state follows whichever outcome the
// relay chose: e.g. a Relinquish by the initiator may be refused (strict) or be a no-op 200
// (AMB-31). Every expectation cites the requirement IDs it enforces, and so does every violation.
//
// Time: the caller gives each request the interval [sent, answered] of its own clock. The relay's
// clock may differ by up to `clock_skew` and may serve an expired mailbox for up to
// `expiry_grace` (AMB-16); inside that uncertainty both outcomes are accepted, and the first
// answer that shows the mailbox gone fixes it as gone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "harness/protocol/vocabulary.hpp"

namespace tigress::model {

inline bool is_2xx(int status) { return status >= 200 && status < 300; }

using Seconds = std::int64_t;                     // Unix time or durations, in whole seconds
inline constexpr Seconds kUnbounded = INT64_MAX;  // no upper bound known for an expiration

// The six endpoints of the protocol vocabulary; kUnknown requests (other paths and methods) are
// judged only by the rules that hold for every answer.
using Op = protocol::Endpoint;

struct Payload {
  std::string type;
  std::string data;
  friend bool operator==(const Payload&, const Payload&) = default;
};

struct Display {
  std::string title;
  std::string description;
  std::string image_url;
  friend bool operator==(const Display&, const Display&) = default;
};

struct ModelOptions {
  Seconds clock_skew = 0;    // how far the relay's clock may be from the caller's
  Seconds expiry_grace = 0;  // how long after expiration a mailbox may still be served (AMB-16)
  // Assumption (the draft names no limits): no relay shortens a lifetime below this, so requests
  // up to it must keep their exact expiration (MBX-READ-03), and a relay's default lifetime is at
  // least this long.
  Seconds min_lifetime = 60;
  // When set, an effective lifetime beyond it is a violation (MBX-EXP-05 / TM-02, AMB-14). Off by
  // default: the catalogue rates it ADVISORY, so only a caller who asks for it gets it checked.
  std::optional<Seconds> max_ttl;
  // Mailbox-Request-ID values longer than this may be refused without an echo (AMB-40: any value
  // up to a sane length): the relay's configured limit. Unset: every ID is echoed.
  std::optional<std::size_t> max_request_id_bytes;
  // AMB-05's strict reading: the ID is echoed on every answer the mailbox API gives, errors
  // included (the lenient reading, the default: on successes).
  bool strict_echo = false;
};

// What the model needs to know about one request. The caller builds the HTTP request from the
// same values (claim and request ID as header fields, the rest in the JSON body).
struct Request {
  Op op = Op::kRead;
  int step = 0;  // the caller's step number, only for messages
  // The mailbox addressed (every op but Create). For Create: -1 for a new mailbox; for a byte-
  // identical repeat of an earlier Create, the slot that Create made.
  int slot = -1;
  std::string claim;       // Mailbox-Device-Claim; empty: header absent
  std::string request_id;  // Mailbox-Request-ID; empty: header absent
  // Create only
  bool has_configuration = false;            // mailboxConfiguration present
  std::optional<std::string> access_rights;  // as sent (valid syntax); nullopt: member absent
  std::optional<Seconds> expiration;         // requested instant (with a configuration)
  Display display;
  // Create and Update
  Payload payload;
  // The caller's clock around the exchange
  Seconds sent = 0;
  Seconds answered = 0;
  // Requests the caller did not build from the fields above (a fuzzer's): the relay may refuse
  // them with any 4xx, which changes nothing; a success must still be one the model allows.
  bool unvouched = false;
  // False when the body's payload, displayInformation or configuration could not be read: the
  // mailbox's contents are then unknown to the model (it checks the rest).
  bool body_known = true;
  // protocol::front_end_may_answer: an answer need not carry the API's headers.
  bool front_end_may_answer = false;
  // The request as sent (target, header values, body), when the caller has it: an answer may
  // quote the request back, so what it carried is no leak.
  std::string wire;
};

struct Response {
  int status = 0;
  std::string content_type;
  std::optional<std::string> request_id_echo;  // Mailbox-Request-ID of the response
  std::string body;
};

struct Outcome {
  bool ok = true;
  std::string expected;      // the accepted answers with their citations, e.g. "401|403 (MBX-READ-05)"
  std::string chosen;        // which reading the relay took, when ok
  std::string violation;     // when !ok: what is wrong, citing requirement IDs
  bool status_fits = false;  // when !ok: the status was an accepted one, but not the rest
  std::string rule;          // when !ok: the requirement the violation cites first ("MBX-RID-03")
};

class RelayModel {
 public:
  explicit RelayModel(ModelOptions options);

  // Checks `response` against the current state and advances. A new Create (slot -1) always
  // allocates the next slot, whether or not the relay created a mailbox.
  Outcome step(const Request& request, const Response& response);
  // Requests the caller sent at the same moment (none answered before the last was sent). A
  // conforming relay handles each atomically, so the answers are accepted when some serial
  // order of the requests explains every one of them (linearizability); the state then follows
  // that order. For concurrent first reads this is MBX-READ-06: exactly one claim wins the
  // recipient slot, whichever it is. Requests and responses pair up by index.
  Outcome step_concurrent(const std::vector<Request>& requests, const std::vector<Response>& responses);

  int slot_count() const { return static_cast<int>(slots_.size()); }
  // Request target (path and any query) of the slot's mailbox, taken from its urlLink (AMB-20);
  // empty when no mailbox was created for the slot.
  std::string mailbox_target(int slot) const;
  // Requirement IDs the model enforces, for reports.
  static std::vector<std::string> enforced_requirements();

 private:
  enum class Status { kNone, kLive, kDeleted, kExpired };
  enum class Liveness { kLive, kGone, kEither };

  struct Mailbox {
    Status status = Status::kNone;
    std::string id, url_link, target;
    std::string initiator;
    std::optional<std::string> recipient;
    std::set<std::string> relinquished;  // claims that gave the recipient slot up (AMB-32)
    bool read = true, write = false, remove = true;
    Seconds expires_lo = 0, expires_hi = 0;  // bounds of the effective expiration
    bool expiration_known = false;           // learnt exactly from a Read (6.5.4)
    Seconds requested = 0;                   // requested expiration, 0 when none
    Payload payload;
    int payload_step = 0;
    Display display;
    bool payload_known = true, contents_known = true;  // see Request::body_known
  };
  struct Record {  // the last successfully processed request of one claim (5.1)
    std::string request_id;
    Op op = Op::kRead;
    int mailbox = -1;  // index into mailboxes_
    std::string url_link;
  };
  // Built by step() for the request it judges and gone when it returns: the checks and effects
  // refer to that request instead of copying it (its wire text may be a 64 KiB body).
  struct Alternative {
    std::vector<int> statuses;
    std::string cite;
    std::function<std::string(const Response&)> check;  // "" when the answer fits
    std::function<void(const Response&)> effect;
  };
  enum class Repeat { kNone, kLast, kEarlier };

  std::vector<Alternative> create_alternatives(const Request& request);
  std::vector<Alternative> mailbox_alternatives(const Request& request);
  std::vector<Alternative> live_alternatives(const Request& request, int index, Repeat repeat);
  std::vector<Alternative> fresh_alternatives(const Request& request, int index);
  std::vector<Alternative> gone_alternatives(const Request& request, int index, Repeat repeat, bool uncertain);
  Liveness liveness(Mailbox& mailbox, const Request& request) const;
  Repeat classify_repeat(const Request& request, int index) const;
  void remember(const Request& request, int index, const std::string& url_link);
  int open_mailbox(const Request& request, const Response& response, int slot);

  // Body checks (model_checks.cpp); each returns "" or what is wrong, citing requirement IDs.
  std::string check_created(const Response& response) const;
  std::string check_repeat_link(const Response& response, const std::string& link) const;
  std::string check_updated(const Response& response) const;
  std::string check_read(const Mailbox& mailbox, const Response& response, const Request& request) const;
  std::string check_preview(const Mailbox& mailbox, const Response& response) const;
  std::string check_not_leaking(const Response& response, const Request& request) const;
  std::string check_echo(const Response& response, const Request& request) const;
  // After an accepted Read: the effective expiration is known from now on (6.5.4).
  void learn_expiration(Mailbox& mailbox, const Response& response) const;
  static std::string created_link(const std::string& body);  // urlLink of a Create answer

  ModelOptions options_;
  std::vector<Mailbox> mailboxes_;  // every mailbox the relay made, slots and orphans
  std::vector<int> slots_;          // slot -> index into mailboxes_
  std::map<std::string, Record> records_;
  std::map<std::string, std::vector<Record>> history_;  // every success per claim (AMB-41)
};

// Helpers shared with the checks and tests.
// Parses "YYYY-MM-DDThh:mm:ssZ" or with a numeric offset "+hh:mm" (the lenient output form of
// AMB-15). Fractions are not part of the Read response's form and are refused.
std::optional<Seconds> parse_expiration(const std::string& text);
std::string format_utc(Seconds t);  // always the Z form
// Rights letters: "RWD" subsets, as the create request spells them.
bool rights_has(const std::optional<std::string>& rights, char letter);

}  // namespace tigress::model
