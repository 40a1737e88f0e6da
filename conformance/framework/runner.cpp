#include "conformance/framework/runner.hpp"

#include "conformance/framework/target_health.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <thread>

namespace tigress::conformance {
namespace {

bool glob_match(std::string_view pattern, std::string_view text) {
  // Iterative '*'/'?' matching with one backtrack point: linear enough for IDs.
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p, ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++, mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1, t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace

std::string utc_now() {
  return codec::format_timestamp(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

CaseResult run_one(CaseRecorder& recorder, const std::function<void()>& body) {
  const auto start = std::chrono::steady_clock::now();
  Verdict stopped = Verdict::kPass;
  std::string reason;
  recorder.track_exchanges(current_exchange_stamp());
  try {
    recorder.start();
    body();
  } catch (const CaseStop& stop) {
    stopped = stop.verdict;
    reason = stop.reason;
  } catch (const std::exception& e) {
    // A case that throws is a suite defect or a response the case did not expect to parse.
    stopped = Verdict::kError;
    reason = std::string("case aborted: ") + e.what();
  }
  const double elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return recorder.finish(stopped, reason, elapsed);
}

bool case_id_matches(std::string_view pattern, std::string_view id) { return glob_match(pattern, id); }

bool CaseFilter::matches(const CaseDefinition& definition) const {
  if (!id_globs.empty()) {
    bool any = false;
    for (const auto& glob : id_globs) any = any || glob_match(glob, definition.id);
    if (!any) return false;
  }
  if (!sections.empty()) {
    bool any = false;
    for (const auto& section : sections) {
      any = any || definition.section == section || definition.section.starts_with(section + ".");
    }
    if (!any) return false;
  }
  if (!categories.empty() && std::find(categories.begin(), categories.end(), definition.category) == categories.end()) {
    return false;
  }
  if (!levels.empty() && std::find(levels.begin(), levels.end(), definition.level) == levels.end()) {
    return false;
  }
  return true;
}

std::vector<const CaseDefinition*> select_cases(const CaseFilter& filter, CaseSuite suite) {
  std::vector<const CaseDefinition*> selected;
  for (const CaseDefinition* definition : suite_cases(suite)) {
    if (filter.matches(*definition)) selected.push_back(definition);
  }
  std::sort(selected.begin(), selected.end(),
            [](const CaseDefinition* a, const CaseDefinition* b) { return a->id < b->id; });
  return selected;
}

Result<bool> take_filter_flag(const std::string& flag, const std::string& value, CaseFilter& filter) {
  if (flag == "--id") {
    filter.id_globs.push_back(value);
  } else if (flag == "--section") {
    filter.sections.push_back(value);
  } else if (flag == "--category") {
    Category category;
    if (!parse_category(value, category)) return make_error("unknown category " + value);
    filter.categories.push_back(category);
  } else if (flag == "--level") {
    Level level;
    if (!parse_level(value, level)) return make_error("unknown level " + value + " (MUST, SHOULD, MAY, ADVISORY)");
    filter.levels.push_back(level);
  } else {
    return false;
  }
  return true;
}

RunSummary run_cases(const std::vector<const CaseDefinition*>& cases, int jobs,
                     const std::function<CaseResult(const CaseDefinition&)>& run_case, const ProgressFn& progress,
                     const TargetHealth& health) {
  if (health.probe) return run_watched_cases(cases, jobs, run_case, progress, health);
  const std::size_t count = cases.size();
  RunSummary summary;
  summary.started_at = utc_now();
  const auto start = std::chrono::steady_clock::now();
  summary.results.resize(count);
  std::mutex mutex;
  int done = 0;
  auto record = [&](std::size_t index, CaseResult result) {
    std::lock_guard<std::mutex> lock(mutex);
    summary.results[index] = std::move(result);
    ++done;
    if (progress) progress(summary.results[index], done, static_cast<int>(count));
  };

  std::vector<std::thread> slow_threads;
  std::vector<std::size_t> quick;
  for (std::size_t i = 0; i < count; ++i) {
    if (cases[i]->slow) {
      slow_threads.emplace_back([&, i] { record(i, run_case(*cases[i])); });
    } else {
      quick.push_back(i);
    }
  }
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < std::max(1, jobs); ++w) {
    workers.emplace_back([&] {
      for (std::size_t k = next++; k < quick.size(); k = next++) record(quick[k], run_case(*cases[quick[k]]));
    });
  }
  for (auto& t : workers) t.join();
  for (auto& t : slow_threads) t.join();

  summary.recount();
  summary.finished_at = utc_now();
  summary.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace tigress::conformance
