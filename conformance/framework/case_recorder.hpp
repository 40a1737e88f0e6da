// What every case records, whichever suite it belongs to: its violations, warnings and notes,
// the secrets the report must never show, the wire log, and from all of these its verdict. The
// relay context (case_context.hpp) and the client context (client_cases/client_context.hpp)
// derive from it and add only what reaching their target takes.
//
// The verdict rule, the same for every suite:
//  - a setup stop (abort_setup: the target refused a canonical request the case only builds on)
//    is FAIL whatever the level and --strict: refusing it breaks the requirement the setup
//    exercises, and ERROR is kept for a suite that could not complete (no answer, a timeout);
//  - a FAIL stop (abort_fail) counts as one more violation;
//  - any violation: FAIL, or WARN when the case's level is below MUST and the run is not
//    --strict (h2spec's --strict);
//  - otherwise an ERROR, SKIP or BLOCKED stop: that verdict (a violation seen before the case
//    had to stop says more than the stop, so it wins);
//  - otherwise any warning: WARN, or FAIL under --strict;
//  - otherwise PASS.
// A case that may pass on a refusal has a positive control (CaseContext::control): the target
// refusing the control is a BLOCKED stop (abort_blocked), and a reading the case saw the target
// take is recorded only after its control passed (reading).
// The detail lists, one per line: the ERROR, SKIP or BLOCKED stop reason, the violations in the
// order they were seen, the warnings, then each note as "note: ..." (none for a BLOCKED case: what
// it noted was seen on a target that did not take the control). A violation or warning recorded
// while the context knew the target's answer (the last one, unless the check named its own)
// carries it on its line: " -- answer to ReadMailbox: HTTP 500 ...". It is redacted and bounded
// like the wire log, and the same lines come back structured as the result's findings.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conformance/framework/case_registry.hpp"
#include "conformance/framework/verdict.hpp"
#include "harness/redaction.hpp"

namespace tigress::conformance {

// Thrown inside a case to end it early; never escapes run_one.
struct CaseStop {
  Verdict verdict;
  std::string reason;
};

class CaseRecorder {
 public:
  static constexpr std::size_t kWireEntryLimit = 16 * 1024;  // per request, response or detail
  // Secrets found in traffic shorter than this are not redacted: they would hide innocent
  // text everywhere, and every real secret (claims, share secrets, keys) is far longer.
  static constexpr std::size_t kMinSecretLength = 8;
  // A finding's step and answer: enough to see what went wrong without opening the wire log.
  static constexpr std::size_t kFindingStepLimit = 1024;
  static constexpr std::size_t kFindingAnswerLimit = 1024;

  // `max_wire_entries` bounds the wire log; exchanges beyond it are not kept.
  CaseRecorder(const CaseDefinition& definition, bool strict, std::size_t max_wire_entries);
  virtual ~CaseRecorder() = default;
  CaseRecorder(const CaseRecorder&) = delete;
  CaseRecorder& operator=(const CaseRecorder&) = delete;

  // A violation unless `condition`; the case goes on. Returns `condition`.
  bool check(bool condition, const std::string& what);
  void warn(const std::string& what);  // WARN whatever the level (FAIL under --strict)

  // What the target answered to one exchange, as a finding quotes it.
  struct Answer {
    std::string exchange;  // "ReadMailbox", "GET /x", ...
    int status = 0;
    std::string text;  // status line, headers that matter, first bytes of the body
  };
  // The answer a violation or warning recorded from now on quotes; a context sets it on every
  // exchange. `requirement` (may be empty) is the one the check is about when it is not the case's.
  void set_last_answer(Answer answer) { last_answer_ = std::move(answer); }
  bool check_answer(bool condition, const std::string& what, const Answer& answer, const std::string& requirement = {});
  void note(const std::string& text);  // context for the report, e.g. which reading was taken
  [[noreturn]] void skip(const std::string& reason);
  [[noreturn]] void abort_error(const std::string& reason);
  [[noreturn]] void abort_fail(const std::string& reason);
  // The target refused (or answered unusably) a canonical request the case needs before it can
  // check anything: FAIL, with "setup: " and `reason` first in the detail.
  [[noreturn]] void abort_setup(const std::string& reason);
  // The target refused the case's positive control: BLOCKED, `reason` first in the detail.
  [[noreturn]] void abort_blocked(const std::string& reason);

  // The case's positive control passed: the target takes the request the case varies.
  void control_passed() { control_passed_ = true; }
  bool has_passed_control() const { return control_passed_; }
  // A reading of an ambiguity the target was seen to take ("... refused (AMB-15 lenient)"), a note;
  // recording one before a positive control passed is a suite defect and ends the case with ERROR.
  void reading(const std::string& text);

  // A secret seen in the case's traffic: redacted everywhere from now on, unless it is shorter
  // than kMinSecretLength.
  void add_secret(const std::string& secret, const std::string& label);
  // `text` redacted and made printable within `max_bytes`.
  std::string redacted(std::string_view text, std::size_t max_bytes = kWireEntryLimit) const;
  // One exchange with the target, redacted and bounded; dropped once the log is full.
  void log(std::string_view request, std::string_view response, double elapsed_ms);

  // The runner's health watch: every exchange stamps `slot` with the steady clock (ns), so a
  // broken relay is blamed only on cases that talked to it since the last good probe.
  void track_exchanges(std::atomic<std::int64_t>* slot) { exchange_stamp_ = slot; }

  const CaseDefinition& definition() const { return definition_; }
  bool strict() const { return strict_; }

  // Called by run_one before the body: a context sets up its target here and may stop the case.
  virtual void start() {}
  // Read by run_one when the case ends.
  CaseResult finish(Verdict stopped_with, const std::string& stop_reason, double elapsed_ms);

 protected:
  // Secrets the operator configured (gateway headers): redacted whatever their length.
  harness::Redactor& configured_secrets() { return redactor_; }
  // Called first by finish: a context logs what its target did after the last request here.
  virtual void before_finish() {}

 private:
  const CaseDefinition& definition_;
  const bool strict_;
  const std::size_t max_wire_entries_;
  harness::Redactor redactor_;
  struct Recorded {
    std::string what;
    std::string requirement;
    std::optional<Answer> answer;
    bool answer_in_line = true;  // false where `what` already quotes the answer (a refused setup)
  };
  std::vector<Recorded> violations_, warnings_;
  std::vector<std::string> notes_;
  std::optional<Answer> last_answer_;
  std::string setup_refusal_;  // set by abort_setup
  bool control_passed_ = false;
  std::vector<WireExchange> wire_;
  std::atomic<std::int64_t>* exchange_stamp_ = nullptr;
};

}  // namespace tigress::conformance
