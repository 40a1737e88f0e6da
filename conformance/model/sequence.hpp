// Runs one sequence of actions against a ModelTarget and the RelayModel side by side: builds each
// HTTP request from the action (the draft's endpoints, headers and bodies), checks the answer with
// the model, and records everything needed to print the sequence as a curl script and to put its
// exchanges into a report. Knows nothing about RapidCheck: the commands (commands.hpp) drive it.
#pragma once

#include <array>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "conformance/model/model.hpp"
#include "conformance/model/script.hpp"
#include "conformance/model/target.hpp"

namespace tigress::model {

// Who sends a request to a mailbox. Each mailbox has its own claims (4.1: a fresh claim per
// mailbox), so these are roles, resolved per mailbox: r1, r2 and the stranger are three further
// claims; which of them becomes the recipient is up to the sequence. The second stranger only
// takes part in concurrent first reads, as their fourth reader.
enum class Actor { kInitiator, kR1, kR2, kStranger, kStranger2, kNobody };
inline constexpr int kClaimsPerMailbox = 5;  // every actor but nobody
const char* actor_name(Actor actor);

struct CreateSpec {
  bool configuration = true;          // mailboxConfiguration present
  std::optional<std::string> rights;  // accessRights; nullopt: member absent (default RD)
  Seconds expires_in = 3600;          // with a configuration: expiration = now + this
  int payload_bytes = 16;
  bool aes256 = false;
  int display = 0;     // index into the display samples
  bool token = false;  // send a notificationToken
};

struct RecordedExchange {
  std::string request;   // as text: request line, headers, body
  std::string response;  // status line, headers, body (or the transport error)
};
RecordedExchange record_exchange(const WireCall& call, const WireAnswer& answer);

class SequenceRunner {
 public:
  SequenceRunner(ModelTarget& target, ModelOptions options);

  Outcome create(const CreateSpec& spec);
  Outcome read(int slot, Actor actor);
  Outcome update(int slot, Actor actor, int payload_bytes, bool token);
  Outcome remove(int slot, Actor actor);
  Outcome relinquish(int slot, Actor actor);
  Outcome preview(int slot, bool with_vertical);
  // Sends again, byte for byte, the index-th request that carried a Mailbox-Request-ID.
  Outcome repeat(int index);
  Outcome pass_time(Seconds seconds);
  // Concurrent first reads (8.1.1, MBX-READ-06), on `rounds` fresh mailboxes of their own
  // ("race mailbox N"; the slots above never name them, and their Creates are not repeated):
  // all Creates first, then on each mailbox `readers` (2..4) claims other than the initiator's
  // (r1, r2, the stranger, the second stranger) read at the same moment
  // (ModelTarget::send_concurrently), judged together by RelayModel::step_concurrent; then the
  // winner of each reads again and a loser is refused again (MBX-READ-05). Stops at the first
  // violation. Each race is one script step whose curls run in the background.
  Outcome concurrent_first_reads(int readers, int rounds);

  // Mailboxes made by create(): the valid slots of the other calls are 0..slots()-1.
  int slots() const { return static_cast<int>(visible_.size()); }
  int requests_with_id() const { return static_cast<int>(sent_.size()); }
  const Script& script() const { return script_; }
  const std::vector<RecordedExchange>& exchanges() const { return exchanges_; }
  int steps() const { return static_cast<int>(script_.steps.size()); }

 private:
  struct Sent {  // a request with an ID, kept for repeats
    Request request;
    WireCall call;
    std::string curl_args;
    std::string label;
  };

  struct Race {
    Outcome outcome;
    std::optional<Actor> winner;  // the reader that got 200, when the relay's answers fit
    std::optional<Actor> loser;   // one that was refused, when there was one
  };

  // Below, `mailbox` is the model's slot: create() and the races share that numbering.
  Outcome create_mailbox(const CreateSpec& spec, bool for_race);
  Race concurrent_reads(int mailbox, int readers);
  std::string uuid();
  std::string variable(const std::string& name, const std::string& value);
  std::string claim_of(int mailbox, Actor actor) const;
  std::string claim_variable(int mailbox, Actor actor) const;
  std::string mailbox_label(int mailbox) const;  // "mailbox 2", "race mailbox 1"
  std::string mailbox_target(int mailbox);
  std::string mailbox_url_expr(int mailbox) const;
  std::string collection_url_expr() const;
  bool several_instances() const { return script_.instances > 1; }
  Payload make_payload(int bytes, bool aes256);
  Outcome mailbox_request(Op op, int mailbox, Actor actor, const std::string& body, const std::string& body_word,
                          const Payload& payload);
  Outcome exchange(Request request, const WireCall& call, ScriptStep step, bool keep_for_repeat);
  void declare_claim(int mailbox, Actor actor);  // its shell variable, once

  ModelTarget& target_;
  RelayModel model_;
  std::mt19937_64 random_;
  std::vector<int> visible_;  // slot -> the model's slot
  // Per model slot: its shell name ("M1", or "C1" for race mailboxes) and its claims by Actor.
  std::vector<std::string> names_;
  std::vector<std::array<std::string, kClaimsPerMailbox>> claims_;
  std::vector<std::string> unknown_targets_;  // per model slot, used when the create failed
  int races_ = 0;                             // race mailboxes so far
  std::vector<Sent> sent_;
  Script script_;
  std::vector<RecordedExchange> exchanges_;
};

}  // namespace tigress::model
