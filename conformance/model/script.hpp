// A failing model sequence as a runnable shell script of curl commands, so that whoever owns the
// relay can replay it without our tools. Claims and request IDs are shell variables filled with
// fresh UUIDs on every run (the relay remembers request IDs per claim, so reusing the values of
// the failing run would turn a replay into duplicates); the values the run used are shown as
// comments. Expirations are written relative to the moment the script runs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tigress::model {

// One step as the script shows it. Every string holding shell syntax is already quoted.
struct ScriptStep {
  int number = 0;
  std::string label;            // "Read mailbox 1 as r1"
  std::string curl_args;        // after `step N`: -X POST "$M1_URL" -H ... --data-binary "$BODY3"
  std::string before;           // shell lines run first (body variable definitions)
  std::string after;            // shell lines run after (urlLink capture)
  long long sleep_seconds = 0;  // a time-passing step: `sleep N` instead of curl
  // Requests sent at the same moment: each one's curl arguments, run in the background (`&`)
  // and awaited together (`wait`) instead of the single curl_args.
  std::vector<std::string> parallel_curl_args;
  std::vector<int> parallel_statuses;  // what each of them got in the recorded run (0: none)
  std::string expected;                // the model's accepted answers, with citations
  int observed_status = 0;             // what the relay answered in the recorded run (0: none)
  std::string violation;               // set on the step that failed
};

struct ScriptVariable {
  std::string name;      // shell variable name
  std::string original;  // the value in the recorded run
};

struct Script {
  std::vector<ScriptVariable> uuids;  // defined with fresh UUIDs at the top
  std::vector<ScriptStep> steps;
};

struct ScriptHeader {
  std::string relay_url;           // default of $RELAY (scheme, authority, optional path prefix)
  std::string tls_flags;           // default of $CURL_TLS, e.g. "--cacert ca.pem" or "-k"
  std::string title;               // first comment line
  std::vector<std::string> notes;  // further comment lines (seed, how to reproduce, violation)
};

std::string render_script(const Script& script, const ScriptHeader& header);

// Single-quoted shell word for arbitrary bytes ('\'' for quotes).
std::string shell_quote(std::string_view text);
// A shell word that yields `json`, with every occurrence of kExpirationMarker replaced by the
// UTC time `expires_in` seconds after the script's own clock (GNU date).
inline constexpr std::string_view kExpirationMarker = "@@EXPIRATION@@";
std::string shell_json_word(std::string_view json, std::optional<long long> expires_in);

}  // namespace tigress::model
