// A failing model sequence as a runnable shell script of curl commands, so that whoever owns the
// relay can replay it without our tools. Claims and request IDs are shell variables filled with
// fresh UUIDs on every run (the relay remembers request IDs per claim, so reusing the values of
// the failing run would turn a replay into duplicates); the values the run used are shown as
// comments. Expirations are written relative to the moment the script runs. A run over several
// instances of one deployment gives each one a base URL of its own ($TARGET_1, $TARGET_2, ...),
// and every request of the script goes to the instance the recorded run sent it to.
#pragma once

#include <cstddef>
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
  // With several instances (Script::instances): where the recorded run sent the request (0-based),
  // and where each of parallel_curl_args went. kInstanceMarker in the curl arguments becomes its
  // number ($TARGET_2 for instance 1).
  std::size_t instance = 0;
  std::vector<std::size_t> parallel_instances;
  std::string expected;     // the model's accepted answers, with citations
  int observed_status = 0;  // what the relay answered in the recorded run (0: none)
  std::string violation;    // set on the step that failed
};

struct ScriptVariable {
  std::string name;      // shell variable name
  std::string original;  // the value in the recorded run
};

struct Script {
  std::vector<ScriptVariable> uuids;  // defined with fresh UUIDs at the top
  std::vector<ScriptStep> steps;
  // Instances of the deployment the recorded run spread its requests over. With one, the script
  // sends everything to $RELAY; with more, each step to its own instance's $TARGET_N.
  std::size_t instances = 1;
};

struct ScriptInstance {
  std::string url;        // scheme, authority, optional path prefix
  std::string tls_flags;  // curl's TLS flags for it
};

struct ScriptHeader {
  std::string relay_url;           // default of $RELAY (scheme, authority, optional path prefix)
  std::string tls_flags;           // default of $CURL_TLS, e.g. "--cacert ca.pem" or "-k"
  std::string title;               // first comment line
  std::vector<std::string> notes;  // further comment lines (seed, how to reproduce, violation)
  // For a script of several instances: relay_url and tls_flags are the first one's ($TARGET_1,
  // $CURL_TLS_1), these the further ones' in order ($TARGET_2, $CURL_TLS_2, ...). One left out
  // defaults to empty, for the environment to fill in.
  std::vector<ScriptInstance> more_instances = {};
};

std::string render_script(const Script& script, const ScriptHeader& header);

// Single-quoted shell word for arbitrary bytes ('\'' for quotes).
std::string shell_quote(std::string_view text);
// A shell word that yields `json`, with every occurrence of kExpirationMarker replaced by the
// UTC time `expires_in` seconds after the script's own clock (GNU date).
inline constexpr std::string_view kExpirationMarker = "@@EXPIRATION@@";
std::string shell_json_word(std::string_view json, std::optional<long long> expires_in);
// In the curl arguments of a script of several instances: the number of the instance the request
// went to, so "$TARGET_@@INSTANCE@@/v1/m" becomes "$TARGET_2/v1/m" on the second instance.
inline constexpr std::string_view kInstanceMarker = "@@INSTANCE@@";

}  // namespace tigress::model
