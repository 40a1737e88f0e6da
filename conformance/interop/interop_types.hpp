// The interop matrix (tigress-conform interop): every ordered (initiator, recipient) pair of
// client shims, against every relay, each cell one complete exchange driven through the shims.
// Plain data shared by the driver (exchange.hpp) and the report writers (interop_report.hpp).
#pragma once

#include <string>
#include <vector>

namespace tigress::conformance::interop {

enum class CellVerdict { kPass, kFail, kSkip };
std::string_view cell_verdict_name(CellVerdict verdict);  // "PASS", "FAIL", "SKIP"

// One shim invocation of the exchange. `stderr_excerpt` is redacted and bounded already.
struct StepResult {
  std::string name;  // one of exchange_step_names()
  CellVerdict verdict = CellVerdict::kFail;
  int exit_code = -1;  // -1 when the step never ran, timed out or crashed
  bool timed_out = false;
  bool signalled = false;
  long long elapsed_ms = 0;
  std::string detail;  // why it failed / was skipped; what was checked when it passed
  std::string stderr_excerpt;
};

struct Cell {
  std::size_t initiator = 0;  // index into InteropRun::clients
  std::size_t recipient = 0;
  std::size_t relay = 0;  // index into InteropRun::relays
  CellVerdict verdict = CellVerdict::kFail;
  std::string failed_step;  // first step that did not pass; empty on PASS
  std::vector<StepResult> steps;
};

struct RelayColumn {
  std::string spec;   // as given on --relays
  std::string url;    // where the clients were pointed; empty when it could not be started
  std::string error;  // why the relay could not be started; empty otherwise
};

struct InteropRun {
  std::vector<std::string> clients;  // shim command strings, as given
  std::vector<RelayColumn> relays;
  std::vector<Cell> cells;  // relay-major, then initiator, then recipient
  std::string command_line;
  std::string started_at;  // RFC 3339
  long long elapsed_ms = 0;

  int count(CellVerdict verdict) const;
  // Exit status of the mode: 0 when no cell FAILed and at least one PASSed, else 1.
  int exit_status() const;
};

}  // namespace tigress::conformance::interop
