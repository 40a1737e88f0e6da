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
// claims; which of them becomes the recipient is up to the sequence.
enum class Actor { kInitiator, kR1, kR2, kStranger, kNobody };
const char* actor_name(Actor actor);

struct CreateSpec {
  bool configuration = true;                // mailboxConfiguration present
  std::optional<std::string> rights;        // accessRights; nullopt: member absent (default RD)
  Seconds expires_in = 3600;                // with a configuration: expiration = now + this
  int payload_bytes = 16;
  bool aes256 = false;
  int display = 0;                          // index into the display samples
  bool token = false;                       // send a notificationToken
};

struct RecordedExchange {
  std::string request;   // as text: request line, headers, body
  std::string response;  // status line, headers, body (or the transport error)
};

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

  int slots() const { return model_.slot_count(); }
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

  std::string uuid();
  std::string variable(const std::string& name, const std::string& value);
  std::string claim_of(int slot, Actor actor) const;
  std::string claim_variable(int slot, Actor actor) const;
  std::string mailbox_target(int slot);
  std::string mailbox_url_expr(int slot) const;
  Payload make_payload(int bytes, bool aes256);
  Outcome mailbox_request(Op op, int slot, Actor actor, const std::string& method, const std::string& body,
                          const std::string& body_word, const Payload& payload);
  Outcome exchange(Request request, const WireCall& call, ScriptStep step, bool keep_for_repeat);

  ModelTarget& target_;
  RelayModel model_;
  std::mt19937_64 random_;
  std::vector<std::array<std::string, 4>> claims_;  // per slot: I, r1, r2, stranger
  std::vector<std::string> unknown_targets_;         // per slot, used when the create failed
  std::vector<Sent> sent_;
  Script script_;
  std::vector<RecordedExchange> exchanges_;
};

}  // namespace tigress::model
