// Internal to the reports module: turning untrusted bytes into text that is safe for each output
// format, number formatting that ignores the locale, and file I/O as Status values.
#pragma once

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "conformance/framework/runner.hpp"
#include "conformance/reports/reports.hpp"
#include "common/result.hpp"

namespace tigress::conformance::report_detail {

// Valid UTF-8 made only of characters XML 1.0 allows, with nothing that hides or reorders text:
// other control characters and invalid bytes become "\xNN", C1 controls, bidi overrides, BOMs
// and U+FFFE/U+FFFF become "\u{XXXX}", CRLF becomes LF and a lone CR "\r". Output beyond
// `max_bytes` is replaced by a marker saying how many input bytes were left out.
std::string safe_text(std::string_view bytes, std::size_t max_bytes);

// Untrusted multi-line text (details, HTTP messages) for HTML and JUnit: each line through
// harness::printable() within a shared budget, then safe_text() as a backstop so the result is
// safe and bounded whatever printable() does.
std::string render_untrusted(std::string_view bytes, std::size_t max_bytes);

// Escaping for XML and HTML alike, for text already passed through safe_text(). In attribute
// values tab and newline become character references so that attribute normalisation keeps them.
std::string escape_markup(std::string_view text, bool attribute = false);

// The raw bytes kept for JSON (which escapes them itself), cut at `max_bytes` on a UTF-8 boundary
// with a marker. Invalid UTF-8 is left for the serializer's replace handler.
std::string json_text(std::string_view bytes, std::size_t max_bytes);

// The marker the truncating functions append.
std::string truncation_marker(std::size_t omitted_bytes);

// Elapsed times from the runner, made safe to print: NaN, infinities and negatives become 0.
double finite_ms(double value);
// Fixed-point decimal, independent of the C locale (e.g. JUnit's time="1.250").
std::string format_fixed(double value, int decimals);

// Draft section order: "6.5.4" < "6.10"; numeric components numerically, others as text, an
// empty section last.
bool section_less(std::string_view a, std::string_view b);

// A cap on the untrusted text one report may carry in total, on top of each field's own limit:
// a hostile target controls how many exchanges and how many long fields there are. Once spent,
// fields still get a short excerpt so every case keeps saying something.
class TextBudget {
 public:
  explicit TextBudget(std::size_t total) : remaining_(total) {}
  std::size_t cap(std::size_t field_limit) const { return std::min(field_limit, std::max(remaining_, kFloor)); }
  void spend(std::size_t bytes) { remaining_ = bytes > remaining_ ? 0 : remaining_ - bytes; }

 private:
  static constexpr std::size_t kFloor = 256;
  std::size_t remaining_;
};

using Counts = OutcomeCounts;
// Counted from the results themselves so a report's totals always agree with its case list.
inline Counts count_verdicts(const RunSummary& summary) { return count_outcomes(summary.results); }

// The metadata's times, else the summary's.
std::string started_at(const RunSummary& summary, const RunMetadata& metadata);
std::string finished_at(const RunSummary& summary, const RunMetadata& metadata);

// Writes `content` to `path`, creating or truncating it.
Status write_file(const std::filesystem::path& path, std::string_view content);
// Writes through a temporary sibling, fsyncs and renames, so `path` is never seen half-written.
Status write_file_atomic(const std::filesystem::path& path, std::string_view content);
Result<std::string> read_file(const std::filesystem::path& path, std::size_t max_bytes);

}  // namespace tigress::conformance::report_detail
