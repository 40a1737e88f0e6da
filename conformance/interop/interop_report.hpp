// The interop matrix as JSON (schema "tigress-interop/1", documented in README.md here and in
// conformance/reports/SCHEMA.md), as one self-contained HTML page (rows initiator -> recipient,
// one column per relay; --matrix-html) and as JUnit XML (a testsuite per relay, a testcase per
// pair); and as cases and JSON members for the one report writer, which writes the mode's
// --report-* files.
// Shim strings and relay specs come from the user, stderr excerpts from the clients under test:
// all of it is escaped for the format it goes into.
#pragma once

#include <string>

#include "conformance/interop/interop_types.hpp"
#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "conformance/framework/runner.hpp"

namespace tigress::conformance::interop {

std::string interop_json(const InteropRun& run);
std::string interop_html(const InteropRun& run);
std::string interop_junit(const InteropRun& run);

// For the one report writer (conformance/reports): one case per cell (interop/relayR/I-J, PASS,
// FAIL or SKIP, the steps in its detail), and the matrix's own members of the JSON report
// (steps, clients, relays, cells; the interop_json document without schema, run and summary).
RunSummary interop_cases(const InteropRun& run);
nlohmann::json interop_members(const InteropRun& run);

}  // namespace tigress::conformance::interop
