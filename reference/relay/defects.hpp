// Deliberate single defects of the reference relay, in the manner of BoringSSL's ProtocolBugs:
// one struct of switches, all off by default, each switched on by name (`tigress-relay --defect
// NAME`). They exist only to prove that the conformance suite, the model tests and the fuzzers
// notice a broken relay; a relay with any of them on is not conforming.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "reference/codec/bodies.hpp"
#include "reference/relay/http_types.hpp"

namespace tigress::relay {

struct RelayDefects {
  // message format
  bool omit_request_id_echo = false;     // 5.1: responses carry no Mailbox-Request-ID
  bool create_answers_201 = false;       // 6.1.6: a first Create answers 201 instead of 200
  bool omit_push_flag = false;           // 6.1.6: Create response lacks isPushNotificationSupported
  bool preview_as_json = false;          // 6.4: preview served as application/json
  bool expiration_without_zone = false;  // 6.5.4: Read reports "YYYY-MM-DDThh:mm:ss" (no Z)
  // anti-replay
  bool bind_every_reader = false;         // 8.1.1: any claim may read, nothing is bound
  bool racy_binding = false;              // 8.1.1: check-then-bind outside the transaction
  bool store_nonatomic_binding = false;   // 8.1.1: the Redis store commits without checking reads
  bool reexecute_duplicates = false;      // 5.1: a repeated Request-ID is processed again
  bool stranger_may_update = false;       // 6.2.6: Update does not check the claim
  bool relinquish_keeps_binding = false;  // 6.6: 200, but the recipient stays bound
  bool predictable_ids = false;           // 8.1.2: sequential mailbox identifiers
  bool ignore_access_rights = false;      // 6.1.5: W and D are not enforced
  // expiry
  bool never_expire = false;                     // 4.3: expired mailboxes stay readable
  bool preview_ignores_expiry = false;           // 4.3: the preview of an expired mailbox is served
  bool accept_past_expiration = false;           // 6.1.5: a past expiration is accepted and served
  bool no_ttl_cap = false;                       // AMB-14: lifetimes are not capped; Read shows the request
  bool past_expiration_dead_on_arrival = false;  // AMB-13: a past expiration answers 200, the mailbox is never served
  bool sweep_races_requests = false;   // 4.3: no periodic sweep; a request that sweeps expired mailboxes answers 500
  bool require_configuration = false;  // 6.1.5: a Create without mailboxConfiguration is refused
  // confidentiality
  bool preview_unescaped = false;         // 8.1.2: display strings go into the HTML raw
  bool preview_leaks_payload = false;     // 8.1.3: the preview carries payload.data
  bool error_leaks_payload = false;       // 8.1.3: a refused Read's error body carries the payload
  bool allow_tls10 = false;               // 8.1.1: TLS 1.0 and 1.1 are accepted
  bool error_names_bound_claims = false;  // 8.1.1: a refused Read's error body names the bound claims
  bool claims_compared_as_strings =
      false;  // 5.2: claims compare as strings; an upper-case initiator claim binds as recipient
  bool preview_ampersand_unescaped = false;  // 6.4: '&' is not escaped, so "&amp;" shows as "&"
  // robustness
  bool server_error_on_bad_json = false;  // client mistakes answered 500
  bool server_error_on_unknown_method = false;
  bool display_types_unchecked = false;  // non-string display values are stored; their preview answers 500
  // 6.1.5 sets no length for display strings; this relay refuses a description over 32
  // characters with 400. The preflight's short one passes, the suite's longer ones do not: every
  // case building on a Create FAILs its setup, and no case may PASS on a refusal of its own.
  bool short_description_limit = false;
  // A poison: a date-only expiration ("2027-01-01") is accepted as the end of that day (UTC), and
  // once one is accepted, every request is answered 500 until the relay restarts (a third-party relay did
  // this). It proves the runner tells "the relay broke here" from "everything after is unknown".
  bool poison_date_only_expiration = false;
  // One operation refused outright with 400, whatever the request: the relay takes every other
  // operation. Cases whose positive control is that operation must be BLOCKED, never PASS on
  // the refusal of their varied request.
  bool refuse_binding_reads =
      false;  // 6.5: a Read by a claim not bound to the mailbox (one that would bind) is refused
  bool refuse_bound_deletes = false;  // 6.3: a DeleteMailbox once a recipient is bound is refused
  bool refuse_relinquish = false;     // 6.6: every RelinquishMailbox is refused
  bool refuse_updates = false;        // 6.2: every UpdateMailbox is refused
  bool refuse_previews = false;       // 6.4: every preview (GET or HEAD of a mailbox) is refused
  bool refuse_undelivered_deletes =
      false;  // 6.3: a DeleteMailbox before any Read has been served from the mailbox is refused
  bool read_needs_write_right = false;  // 6.1.5: a Read where R is granted without W is refused
  // One operation failing with 500 whatever the request, one the health probe (a Create and a
  // Delete) does not use: the relay keeps serving, so the runner must not take it for broken,
  // and the cases whose positive control it fails must be BLOCKED with the 500.
  bool relinquish_server_error = false;  // 6.6: every RelinquishMailbox is answered 500
};

struct DefectInfo {
  std::string_view name;      // the --defect NAME
  std::string_view category;  // message-format, anti-replay, expiry, confidentiality, robustness
  std::string_view description;
  std::vector<std::string_view> caught_by;  // conformance case IDs that must notice it (FAIL or WARN)
  bool RelayDefects::*flag;
  // Cases that may pass on a refusal and whose positive control the defect refuses: they must be
  // BLOCKED with the control's answer, never PASS.
  std::vector<std::string_view> blocks = {};
  int control_status = 400;  // the status the defect answers those controls with
};

const std::vector<DefectInfo>& relay_defect_catalogue();

// Switches on the named defects: one name or several separated by commas ("a,b,c"); an unknown
// name is an error.
Status enable_relay_defect(RelayDefects& defects, std::string_view names);

// The 400 detail a relay with `defects` answers `request` with before looking at it
// (require-configuration and short-description-limit for a CreateMailbox, refuse-relinquish,
// refuse-updates, refuse-previews); std::nullopt when no defect refuses it. The refusals that
// depend on the mailbox's state (refuse-binding-reads, refuse-bound-deletes,
// refuse-undelivered-deletes, read-needs-write-right) are the relay's (relay.cpp).
std::optional<std::string> planted_refusal(const RelayDefects& defects, const Request& request);

// The poison defect's trigger: a CreateMailbox whose mailboxConfiguration.expiration is a bare
// date, rewritten to that date at 23:59:59Z (so the relay accepts it); std::nullopt for any other request.
std::optional<Request> date_only_expiration_accepted(const Request& request);

// The display-types-unchecked defect: a Create body whose displayInformation members of another
// JSON type are replaced by their JSON text, and whether a stored display holds such text (its
// preview then fails).
std::string display_as_text(const std::string& body);
bool holds_json_text(const codec::DisplayInformation& display);

}  // namespace tigress::relay
