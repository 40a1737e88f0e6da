// SequenceRunner's concurrent first reads: several claims race for the recipient slot of one
// mailbox (8.1.1, MBX-READ-06). Kept apart from sequence.cpp, whose requests go one at a time.
#include <algorithm>

#include "conformance/model/sequence.hpp"

namespace tigress::model {

void SequenceRunner::declare_claim(int mailbox, Actor actor) {
  const std::string name = claim_variable(mailbox, actor);
  const bool declared =
      std::any_of(script_.uuids.begin(), script_.uuids.end(), [&](const ScriptVariable& v) { return v.name == name; });
  if (!declared) variable(name, claim_of(mailbox, actor));
}

Outcome SequenceRunner::concurrent_first_reads(int readers, int rounds) {
  // All Creates first, then the races: a race the relay loses is then at most step 2 * rounds
  // of a sequence holding nothing else, whichever round hits it.
  CreateSpec spec;
  spec.rights = "RWD";
  std::vector<int> mailboxes;
  for (int i = 0; i < rounds; ++i) {
    mailboxes.push_back(model_.slot_count());
    if (Outcome created = create_mailbox(spec, true); !created.ok) return created;
  }
  std::vector<Race> races;
  for (int mailbox : mailboxes) {
    races.push_back(concurrent_reads(mailbox, readers));
    if (!races.back().outcome.ok) return races.back().outcome;
  }
  // Afterwards the winner alone is the recipient (MBX-READ-05).
  for (std::size_t i = 0; i < mailboxes.size(); ++i) {
    for (const auto& actor : {races[i].winner, races[i].loser}) {
      if (!actor) continue;
      Outcome again = mailbox_request(Op::kRead, mailboxes[i], *actor, "", "", {});
      if (!again.ok) return again;
    }
  }
  return {};
}

SequenceRunner::Race SequenceRunner::concurrent_reads(int slot, int readers) {
  // Racers are claims the mailbox has never seen, so a conforming relay lets exactly one win.
  static constexpr Actor kReaders[] = {Actor::kR1, Actor::kR2, Actor::kStranger, Actor::kStranger2};
  readers = std::clamp(readers, 2, 4);
  const int number = steps() + 1;
  ScriptStep step;
  step.number = number;
  step.label = std::to_string(readers) + " concurrent first Reads of " + mailbox_label(slot) + " as ";
  std::vector<Request> requests;
  std::vector<WireCall> calls;
  for (int i = 0; i < readers; ++i) {
    const Actor actor = kReaders[i];
    declare_claim(slot, actor);
    Request request;
    request.op = Op::kRead;
    request.slot = slot;
    request.step = number;
    request.claim = claim_of(slot, actor);
    // A bodiless POST: the wire client sends Content-Length: 0, so the curl does too. Read
    // carries no Mailbox-Request-ID (6.5.2, AMB-06).
    calls.push_back(to_wire_call(protocol::build_request(Op::kRead, mailbox_target(slot), {request.claim, {}, ""})));
    step.parallel_curl_args.push_back("-X POST " + mailbox_url_expr(slot) + " -H \"Mailbox-Device-Claim: $" +
                                      claim_variable(slot, actor) + "\" -H 'Content-Length: 0'");
    step.label += std::string(i == 0 ? "" : i + 1 == readers ? " and " : ", ") + actor_name(actor);
    requests.push_back(std::move(request));
  }

  const std::vector<WireAnswer> answers = target_.send_concurrently(calls);
  Race race;
  std::vector<Response> responses;
  std::string lost;
  for (int i = 0; i < readers; ++i) {
    const WireAnswer& answer = answers[i];
    exchanges_.push_back(record_exchange(calls[i], answer));
    step.parallel_statuses.push_back(answer.answered ? answer.status : 0);
    step.parallel_instances.push_back(answer.instance);
    requests[i].sent = answer.sent;
    requests[i].answered = answer.received;
    if (!answer.answered && lost.empty()) lost = std::string(actor_name(kReaders[i])) + ": " + answer.error;
    responses.push_back(
        {answer.status, answer.header("Content-Type").value_or(""), answer.header("Mailbox-Request-ID"), answer.body});
  }
  // The script's no-answer test reads observed_status: 0 when any of them got none.
  step.observed_status = lost.empty() ? answers.front().status : 0;
  if (!lost.empty()) {
    race.outcome.ok = false;
    race.outcome.expected = "an HTTP answer to each";
    race.outcome.violation = "no HTTP answer: " + lost;
  } else {
    race.outcome = model_.step_concurrent(requests, responses);
  }
  if (race.outcome.ok) {
    for (int i = 0; i < readers; ++i) {
      if (responses[i].status == 200 && !race.winner) race.winner = kReaders[i];
      if (responses[i].status != 200 && !race.loser) race.loser = kReaders[i];
    }
  }
  step.expected = race.outcome.expected;
  step.violation = race.outcome.violation;
  script_.steps.push_back(std::move(step));
  if (!race.outcome.ok) {
    race.outcome.violation =
        "step " + std::to_string(number) + " (" + script_.steps.back().label + "): " + race.outcome.violation;
  }
  return race;
}

}  // namespace tigress::model
