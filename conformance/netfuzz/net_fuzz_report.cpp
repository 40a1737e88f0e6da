#include "conformance/netfuzz/net_fuzz_report.hpp"

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

namespace tigress::fuzz {

std::map<std::string, std::uint64_t> RunSummary::by_class() const {
  std::map<std::string, std::uint64_t> counts = {{"5xx", 0}, {"crash", 0}, {"hang", 0}, {"invariant", 0}};
  for (const auto& f : findings) ++counts[f.finding.finding_class];
  return counts;
}

Status write_report_json(const RunSummary& summary, const std::string& path) {
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
  const Json doc = {
      {"schema", "tigress-netfuzz-report/1"},
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
      {"mutations", mutations},
      {"findings", {{"distinct", summary.findings.size()}, {"occurrences", occurrences}, {"by_class", by_class}, {"list", list}}}};
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!(out << doc.dump(2, ' ', false, Json::error_handler_t::replace) << "\n")) {
    return make_error("cannot write " + path);
  }
  return {};
}

}  // namespace tigress::fuzz
