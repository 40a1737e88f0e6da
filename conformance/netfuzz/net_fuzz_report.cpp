#include "conformance/netfuzz/net_fuzz_report.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace tigress::fuzz {

std::map<std::string, std::uint64_t> RunSummary::by_class() const {
  std::map<std::string, std::uint64_t> counts = {{"5xx", 0}, {"crash", 0}, {"hang", 0}, {"invariant", 0}};
  for (const auto& f : findings) ++counts[f.finding.finding_class];
  return counts;
}

nlohmann::json report_members(const RunSummary& summary) {
  using Json = nlohmann::json;
  Json mutations = Json::object();
  for (std::size_t i = 0; i < kMutationClassCount; ++i) {
    mutations[mutation_class_name(static_cast<MutationClass>(i))] = summary.mutations[i];
  }
  Json list = Json::array();
  std::uint64_t occurrences = 0;
  for (const auto& f : summary.findings) {
    occurrences += f.occurrences;
    list.push_back({{"class", f.finding.finding_class},
                    {"endpoint", f.finding.endpoint},
                    {"what", f.finding.what},
                    {"key", f.finding.key()},
                    {"detail", f.finding.detail},
                    {"occurrences", f.occurrences},
                    {"reproducer_json", f.reproducer_json},
                    {"reproducer_script", f.reproducer_script},
                    {"steps", f.steps},
                    {"original_steps", f.original_steps},
                    {"minimised", f.minimised},
                    {"note", f.note},
                    {"candidates", f.candidates}});
  }
  Json by_class = Json::object();
  for (const auto& [name, count] : summary.by_class()) by_class[name] = count;
  return {
      {"target", summary.target},
      {"seed", summary.seed},
      {"duration_limit_s", summary.duration_limit_s},
      {"sequence_limit", summary.sequence_limit},
      {"duration_s", summary.elapsed_s},
      {"sequences", summary.sequences},
      {"requests", summary.requests},
      {"requests_per_s", summary.requests_per_second()},
      {"fuzz_requests", summary.fuzz_requests},
      {"fuzz_requests_per_s",
       summary.fuzz_seconds > 0 ? static_cast<double>(summary.fuzz_requests) / summary.fuzz_seconds : 0.0},
      {"target_down", summary.target_down},
      {"connections", summary.connections},
      {"connections_opened", summary.connections_opened},
      {"sessions_resumed", summary.sessions_resumed},
      {"mutations", mutations},
      {"findings",
       {{"distinct", summary.findings.size()}, {"occurrences", occurrences}, {"by_class", by_class}, {"list", list}}}};
}

conformance::RunSummary report_cases(const RunSummary& summary) {
  conformance::RunSummary run;
  for (const auto& f : summary.findings) {
    conformance::CaseResult result;
    std::string key = f.finding.key();
    std::replace(key.begin(), key.end(), ' ', '/');
    result.id = "fuzz/" + key;
    result.title = "network fuzzer finding: " + f.finding.key();
    result.section = "fuzz";
    result.category = conformance::Category::kRobustness;
    result.level = conformance::Level::kMust;
    // An invariant finding names the requirement the answer broke.
    if (f.finding.finding_class == "invariant") result.requirements = {f.finding.what};
    result.verdict = conformance::Verdict::kFail;
    result.detail = f.finding.detail + "\noccurrences: " + std::to_string(f.occurrences) +
                    "\nreproducer: " + f.reproducer_json + " " + f.reproducer_script + "\n" + f.note;
    run.results.push_back(std::move(result));
  }
  if (summary.findings.empty()) {
    conformance::CaseResult result;
    result.id = "fuzz/campaign";
    result.title = "network fuzzer: mutated request sequences, no finding";
    result.section = "fuzz";
    result.category = conformance::Category::kRobustness;
    result.level = conformance::Level::kMust;
    result.verdict = conformance::Verdict::kPass;
    result.detail = std::to_string(summary.sequences) + " sequences, " + std::to_string(summary.requests) +
                    " requests, no finding; seed " + std::to_string(summary.seed);
    run.results.push_back(std::move(result));
  }
  run.elapsed_ms = summary.elapsed_s * 1000.0;
  run.recount();
  return run;
}

}  // namespace tigress::fuzz
