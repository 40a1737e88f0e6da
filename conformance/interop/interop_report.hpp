// The interop matrix as JSON (schema "tigress-interop/1", documented in README.md here and in
// conformance/reports/SCHEMA.md), as one self-contained HTML page (rows initiator -> recipient,
// one column per relay) and as JUnit XML (a testsuite per relay, a testcase per pair).
// Shim strings and relay specs come from the user, stderr excerpts from the clients under test:
// all of it is escaped for the format it goes into.
#pragma once

#include <string>

#include "conformance/interop/interop_types.hpp"
#include "common/result.hpp"

namespace tigress::conformance::interop {

std::string interop_json(const InteropRun& run);
std::string interop_html(const InteropRun& run);
std::string interop_junit(const InteropRun& run);

// Writes each report whose path is not empty; the first failure is returned.
Status write_interop_reports(const InteropRun& run, const std::string& json_path,
                             const std::string& html_path, const std::string& junit_path);

}  // namespace tigress::conformance::interop
