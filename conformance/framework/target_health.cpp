#include "conformance/framework/target_health.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

extern char** environ;

namespace tigress::conformance {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kNone = static_cast<std::size_t>(-1);
constexpr int kMaxRestarts = 32;  // each restart settles at least one case; this only bounds a flapping target

thread_local std::atomic<std::int64_t>* t_exchange_stamp = nullptr;

std::int64_t now_ns() { return Clock::now().time_since_epoch().count(); }

std::string list_ids(const std::vector<const CaseDefinition*>& cases, const std::vector<std::size_t>& indices) {
  std::string out;
  for (std::size_t i : indices) out += (out.empty() ? "" : ", ") + cases[i]->id;
  return out;
}

// What one pass over some cases saw of the target's health.
struct PassOutcome {
  bool broken = false;
  std::string symptom;                  // the failed probe's answer
  std::vector<std::size_t> candidates;  // the cases that talked to the target since the last good probe
  std::vector<std::size_t> blocked;     // cases that ran after the break, or never ran
};

class Pass {
 public:
  Pass(const std::vector<const CaseDefinition*>& cases, std::vector<CaseResult>& results,
       const std::function<CaseResult(const CaseDefinition&)>& run_case, const std::function<void(std::size_t)>& done,
       const TargetHealth& health)
      : cases_(cases),
        results_(results),
        run_case_(run_case),
        done_(done),
        health_(health),
        stamps_(cases.size()),
        state_(cases.size(), State::kWaiting) {}

  // Runs `indices`: quick cases on `jobs` workers, slow ones each on a thread of their own unless
  // `one_at_a_time` (then every case runs alone and the probe after it blames exactly that case).
  PassOutcome run(const std::vector<std::size_t>& indices, int jobs, bool one_at_a_time) {
    std::vector<std::size_t> queue;
    std::vector<std::thread> slow_threads;
    for (std::size_t i : indices) {
      if (cases_[i]->slow && !one_at_a_time) {
        ++slow_running_;
        slow_threads.emplace_back([this, i] {
          run_and_check(i);
          std::lock_guard<std::mutex> lock(mutex_);
          --slow_running_;
          wake_.notify_all();
        });
      } else {
        queue.push_back(i);
      }
    }
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> workers;
    for (int w = 0; w < (one_at_a_time ? 1 : std::max(1, jobs)); ++w) {
      workers.emplace_back([&] {
        for (std::size_t k = next++; k < queue.size(); k = next++) run_and_check(queue[k]);
      });
    }
    for (auto& t : workers) t.join();
    // While long cases wait, the target is still watched.
    {
      std::unique_lock<std::mutex> lock(mutex_);
      while (slow_running_ > 0) {
        if (wake_.wait_for(lock, std::chrono::seconds(2), [&] { return slow_running_ == 0; })) break;
        lock.unlock();
        check(kNone);
        lock.lock();
      }
    }
    for (auto& t : slow_threads) t.join();

    PassOutcome outcome = outcome_;
    if (outcome.broken) {
      for (std::size_t i : indices) {
        const bool candidate =
            std::find(outcome.candidates.begin(), outcome.candidates.end(), i) != outcome.candidates.end();
        if (!candidate && !ended_before_break_.count(i)) outcome.blocked.push_back(i);
      }
    }
    return outcome;
  }

 private:
  enum class State { kWaiting, kRunning, kEnded };

  void run_and_check(std::size_t i) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (outcome_.broken) {
        state_[i] = State::kEnded;  // not run: BLOCKED
        return;
      }
      state_[i] = State::kRunning;
    }
    t_exchange_stamp = &stamps_[i];
    CaseResult result = run_case_(*cases_[i]);
    t_exchange_stamp = nullptr;  // the probe's own exchanges are nobody's
    {
      std::lock_guard<std::mutex> lock(mutex_);
      results_[i] = std::move(result);
      state_[i] = State::kEnded;
    }
    done_(i);
    check(i);
  }

  // Probes the target (one probe at a time); on the first failure records the break.
  void check(std::size_t just_ended) {
    std::lock_guard<std::mutex> probing(probe_mutex_);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (outcome_.broken) return;
    }
    const std::int64_t started = now_ns();
    Status status = health_.probe();
    if (!status) {  // one retry: a single lost answer is not a broken relay
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      status = health_.probe();
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (status) {
      last_good_probe_ = started;
      return;
    }
    outcome_.broken = true;
    outcome_.symptom = status.error().message();
    for (std::size_t i = 0; i < cases_.size(); ++i) {
      if (state_[i] == State::kEnded) ended_before_break_.insert(i);
      const bool talked = stamps_[i].load() > last_good_probe_;
      if (i == just_ended || (state_[i] != State::kWaiting && talked && stamps_[i].load() != 0)) {
        outcome_.candidates.push_back(i);
      }
    }
  }

  const std::vector<const CaseDefinition*>& cases_;
  std::vector<CaseResult>& results_;
  const std::function<CaseResult(const CaseDefinition&)>& run_case_;
  const std::function<void(std::size_t)>& done_;
  const TargetHealth& health_;
  std::vector<std::atomic<std::int64_t>> stamps_;
  std::mutex mutex_, probe_mutex_;
  std::condition_variable wake_;
  std::vector<State> state_;
  int slow_running_ = 0;
  std::int64_t last_good_probe_ = 0;
  std::set<std::size_t> ended_before_break_;
  PassOutcome outcome_;
};

CaseResult blocked_result(const CaseDefinition& definition, const CaseResult& ran, const std::string& why) {
  CaseResult result = ran;
  if (result.id.empty()) {  // never ran
    result = result_naming(definition);
    result.detail = why + "; not run";
  } else {
    const std::string own = ran.detail.substr(0, ran.detail.find('\n'));
    result.detail = why + "; its own outcome on the broken relay (" + std::string(verdict_name(ran.verdict)) +
                    (own.empty() ? "" : ": " + own) + ") says nothing";
  }
  result.verdict = Verdict::kBlocked;
  return result;
}

// A case that went wrong only in the ways a relay that stopped serving goes wrong: every finding
// is a 5xx answer or an exchange left unanswered (an ERROR without findings is one), so its
// outcome may be another in-flight case's collateral. A finding from any other answer, or from a
// check that needs no answer (a handshake), is the relay's own behaviour.
bool only_symptoms_of_a_broken_relay(const CaseResult& result) {
  if (result.verdict == Verdict::kError && result.findings.empty()) return true;
  if (result.verdict != Verdict::kFail && result.verdict != Verdict::kWarn && result.verdict != Verdict::kError) {
    return false;
  }
  if (result.findings.empty()) return false;
  return std::all_of(result.findings.begin(), result.findings.end(), [](const Finding& finding) {
    return finding.status >= 500 || (finding.status == 0 && !finding.exchange.empty());
  });
}

}  // namespace

std::atomic<std::int64_t>* current_exchange_stamp() { return t_exchange_stamp; }

Status restart_target(const std::string& command, const std::function<Status()>& probe, std::chrono::seconds deadline) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // The command's stdout joins the runner's stderr: the report on stdout stays the runner's own.
  posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, "/bin/sh", &actions, nullptr, const_cast<char**>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return make_error("--restart-cmd: cannot start /bin/sh");
  const auto until = Clock::now() + deadline;
  int status = 0;
  while (true) {
    const pid_t reaped = waitpid(pid, &status, WNOHANG);
    if (reaped == pid) break;
    if (reaped < 0) return make_error("--restart-cmd: lost the child process");
    if (Clock::now() >= until) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return make_error("--restart-cmd did not exit within " + std::to_string(deadline.count()) + " s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return make_error("--restart-cmd exited with " + (WIFEXITED(status)
                                                          ? "status " + std::to_string(WEXITSTATUS(status))
                                                          : "signal " + std::to_string(WTERMSIG(status))));
  }
  const auto probe_until = Clock::now() + std::chrono::seconds(10);
  Status healthy = probe();
  while (!healthy && Clock::now() < probe_until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    healthy = probe();
  }
  if (!healthy) return make_error("after --restart-cmd the probe still fails: " + healthy.error().message());
  return {};
}

RunSummary run_watched_cases(const std::vector<const CaseDefinition*>& cases, int jobs,
                             const std::function<CaseResult(const CaseDefinition&)>& run_case,
                             const ProgressFn& progress, const TargetHealth& health) {
  RunSummary summary;
  summary.started_at = utc_now();
  const auto start = Clock::now();
  summary.results.resize(cases.size());
  std::mutex progress_mutex;
  int done = 0, total = static_cast<int>(cases.size());
  const std::function<void(std::size_t)> on_done = [&](std::size_t i) {
    std::lock_guard<std::mutex> lock(progress_mutex);
    ++done;
    if (progress) progress(summary.results[i], done, total);
  };

  std::vector<std::size_t> todo(cases.size()), deferred;
  for (std::size_t i = 0; i < cases.size(); ++i) todo[i] = i;
  bool isolating = false;
  // A relay already broken before the first case must not be blamed on that case.
  if (Status initial = health.probe(); !initial) {
    const std::string why =
        "BLOCKED: the relay did not serve before the first case (health probe: " + initial.error().message() + ")";
    summary.health_events.push_back(why.substr(9));
    Status restarted = health.restart ? health.restart() : make_error("no --restart-cmd");
    if (!restarted) {
      summary.health_events.push_back("not restarted: " + restarted.error().message() + "; no case was run");
      for (std::size_t i : todo) summary.results[i] = blocked_result(*cases[i], CaseResult{}, why);
      todo.clear();
    } else {
      summary.health_events.push_back("restarted the relay before the first case");
    }
  }
  for (int restarts = 0; !todo.empty();) {
    Pass pass(cases, summary.results, run_case, on_done, health);
    PassOutcome outcome = pass.run(todo, jobs, isolating);
    if (!outcome.broken) {
      if (deferred.empty()) break;
      todo = std::move(deferred);  // the isolated candidates left the target healthy
      deferred.clear();
      for (std::size_t i : todo) summary.results[i] = CaseResult{};
      isolating = false;
      total += static_cast<int>(todo.size());
      continue;
    }
    const std::string cause = outcome.candidates.empty()
                                  ? std::string("no case (none had talked to it since the last good probe)")
                                  : list_ids(cases, outcome.candidates);
    const std::string why =
        outcome.candidates.size() == 1
            ? "BLOCKED: the relay stopped serving after " + cause + " (health probe: " + outcome.symptom + ")"
            : "BLOCKED: the relay stopped serving while these cases were in flight: " + cause +
                  " (health probe: " + outcome.symptom + ")";
    summary.health_events.push_back("the relay stopped serving (health probe: " + outcome.symptom + ") after " + cause +
                                    "; " + std::to_string(outcome.blocked.size()) + " cases BLOCKED");
    for (std::size_t i : outcome.candidates) {
      CaseResult& result = summary.results[i];
      result.detail += std::string(result.detail.empty() ? "" : "\n") +
                       (outcome.candidates.size() == 1
                            ? "cause: after this case the relay stopped serving (health probe: " + outcome.symptom + ")"
                            : "possible cause: one of the " + std::to_string(outcome.candidates.size()) +
                                  " cases in flight when the relay stopped serving (" + cause +
                                  "; health probe: " + outcome.symptom + ")");
      // Among several in-flight cases, one whose every finding is a symptom of the broken relay
      // may have met another's breakage: it is not FAILed for it (isolating them, when the
      // target can be restarted, runs each again alone).
      if (outcome.candidates.size() > 1 && only_symptoms_of_a_broken_relay(result)) {
        result = blocked_result(*cases[i], result, why);
      }
    }
    for (std::size_t i : outcome.blocked) summary.results[i] = blocked_result(*cases[i], summary.results[i], why);
    std::vector<std::size_t> rerun = outcome.blocked;
    rerun.insert(rerun.end(), deferred.begin(), deferred.end());
    deferred.clear();
    const bool isolate_candidates = outcome.candidates.size() > 1 && !isolating;
    if (!health.restart || (rerun.empty() && !isolate_candidates)) break;
    if (++restarts > kMaxRestarts) {
      summary.health_events.push_back("gave up after " + std::to_string(kMaxRestarts) + " restarts");
      break;
    }
    if (Status restarted = health.restart(); !restarted) {
      summary.health_events.push_back("restart failed: " + restarted.error().message() +
                                      "; the BLOCKED cases stay BLOCKED");
      break;
    }
    summary.health_events.push_back(
        "restarted the relay; running " +
        (isolate_candidates ? "the " + std::to_string(outcome.candidates.size()) + " candidates one at a time, then "
                            : std::string()) +
        std::to_string(rerun.size()) + " BLOCKED cases again");
    if (isolate_candidates) {
      // Which of the candidates breaks it: each alone, probed after it.
      for (std::size_t i : outcome.candidates) summary.results[i] = CaseResult{};
      todo = outcome.candidates;
      deferred = std::move(rerun);
      isolating = true;
    } else {
      todo = std::move(rerun);
      isolating = false;
    }
    for (std::size_t i : todo) summary.results[i] = CaseResult{};
    total += static_cast<int>(todo.size());
  }

  summary.recount();
  summary.finished_at = utc_now();
  summary.elapsed_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  return summary;
}

}  // namespace tigress::conformance
