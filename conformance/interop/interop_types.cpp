#include "conformance/interop/interop_types.hpp"

#include <algorithm>

namespace tigress::conformance::interop {

std::string_view cell_verdict_name(CellVerdict verdict) {
  switch (verdict) {
    case CellVerdict::kPass:
      return "PASS";
    case CellVerdict::kFail:
      return "FAIL";
    case CellVerdict::kSkip:
      return "SKIP";
  }
  return "FAIL";
}

int InteropRun::count(CellVerdict verdict) const {
  return static_cast<int>(
      std::count_if(cells.begin(), cells.end(), [&](const Cell& c) { return c.verdict == verdict; }));
}

int InteropRun::exit_status() const {
  // A SKIP (a client lacks a feature, exit 89) is reported but is no failure, as in relay mode.
  return count(CellVerdict::kFail) == 0 && count(CellVerdict::kPass) > 0 ? 0 : 1;
}

}  // namespace tigress::conformance::interop
