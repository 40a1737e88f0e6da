#include "conformance/framework/case_recorder.hpp"

#include <algorithm>
#include <chrono>

namespace tigress::conformance {

CaseRecorder::CaseRecorder(const CaseDefinition& definition, bool strict, std::size_t max_wire_entries)
    : definition_(definition), strict_(strict), max_wire_entries_(max_wire_entries) {}

bool CaseRecorder::check(bool condition, const std::string& what) {
  if (!condition) violations_.push_back({what, {}, last_answer_});
  return condition;
}

bool CaseRecorder::check_answer(bool condition, const std::string& what, const Answer& answer,
                                const std::string& requirement) {
  if (!condition) violations_.push_back({what, requirement, answer});
  return condition;
}

void CaseRecorder::warn(const std::string& what) { warnings_.push_back({what, {}, last_answer_}); }
void CaseRecorder::note(const std::string& text) { notes_.push_back(text); }

void CaseRecorder::skip(const std::string& reason) { throw CaseStop{Verdict::kSkip, reason}; }
void CaseRecorder::abort_error(const std::string& reason) { throw CaseStop{Verdict::kError, reason}; }
void CaseRecorder::abort_fail(const std::string& reason) { throw CaseStop{Verdict::kFail, reason}; }
void CaseRecorder::abort_blocked(const std::string& reason) { throw CaseStop{Verdict::kBlocked, reason}; }

void CaseRecorder::abort_setup(const std::string& reason) {
  setup_refusal_ = "setup: " + reason;
  throw CaseStop{Verdict::kFail, setup_refusal_};
}

void CaseRecorder::reading(const std::string& text) {
  if (!control_passed_) abort_error("suite defect: reading \"" + text + "\" recorded without a positive control");
  note(text);
}

void CaseRecorder::add_secret(const std::string& secret, const std::string& label) {
  if (secret.size() >= kMinSecretLength) redactor_.add(secret, label);
}

std::string CaseRecorder::redacted(std::string_view text, std::size_t max_bytes) const {
  return harness::printable(redactor_.apply(text), max_bytes);
}

void CaseRecorder::log(std::string_view request, std::string_view response, double elapsed_ms) {
  if (exchange_stamp_ != nullptr) {
    exchange_stamp_->store(std::chrono::steady_clock::now().time_since_epoch().count());
  }
  if (wire_.size() >= max_wire_entries_) return;
  wire_.push_back({redacted(request), redacted(response), elapsed_ms});
}

CaseResult CaseRecorder::finish(Verdict stopped_with, const std::string& stop_reason, double elapsed_ms) {
  before_finish();
  CaseResult result = result_naming(definition_);
  result.elapsed_ms = elapsed_ms;
  result.wire = std::move(wire_);

  const bool setup_refused = stopped_with == Verdict::kFail && !setup_refusal_.empty() && stop_reason == setup_refusal_;
  if (stopped_with == Verdict::kFail) violations_.push_back({stop_reason, {}, last_answer_, !setup_refused});
  const bool stopped_early =
      stopped_with == Verdict::kError || stopped_with == Verdict::kSkip || stopped_with == Verdict::kBlocked;
  const bool lenient_level = definition_.level != Level::kMust && !strict_;
  if (setup_refused) {
    // The refused setup is the cause: it leads the detail.
    std::rotate(violations_.begin(), violations_.end() - 1, violations_.end());
    result.verdict = Verdict::kFail;
  } else if (!violations_.empty()) {
    result.verdict = lenient_level ? Verdict::kWarn : Verdict::kFail;
  } else if (stopped_early) {
    result.verdict = stopped_with;
  } else if (!warnings_.empty()) {
    result.verdict = strict_ ? Verdict::kFail : Verdict::kWarn;
  }

  std::vector<std::string> lines;
  if (stopped_early) lines.push_back(stop_reason);
  const auto add_findings = [&](const std::vector<Recorded>& recorded, Verdict kind) {
    for (const Recorded& r : recorded) {
      Finding finding;
      finding.kind = kind;
      finding.requirement = r.requirement;
      finding.step = redacted(r.what, kFindingStepLimit);
      std::string line = r.what;
      if (r.answer) {
        finding.exchange = redacted(r.answer->exchange, kFindingStepLimit);
        finding.status = r.answer->status;
        finding.answer = redacted(r.answer->text, kFindingAnswerLimit);
        if (r.answer_in_line) line += " -- answer to " + r.answer->exchange + ": " + r.answer->text;
      }
      result.findings.push_back(std::move(finding));
      lines.push_back(std::move(line));
    }
  };
  add_findings(violations_, Verdict::kFail);
  add_findings(warnings_, Verdict::kWarn);
  if (result.verdict != Verdict::kBlocked) {
    for (const auto& n : notes_) lines.push_back("note: " + n);
  }
  std::string detail;
  for (const auto& line : lines) detail += (detail.empty() ? "" : "\n") + line;
  result.detail = redacted(detail);
  return result;
}

}  // namespace tigress::conformance
