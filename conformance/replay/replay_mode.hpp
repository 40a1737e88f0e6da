// `tigress-conform replay`: replays the protocol transcripts of vectors/transcripts/ (or any
// files or folders given) against a relay and prints one PASS/FAIL line per transcript.
#pragma once

#include <string>
#include <vector>

namespace tigress::conformance {

// `args` are the arguments after the mode word; `command_line` is the whole invocation (for the
// reports). Returns 0 when every transcript passed, 1 when one failed or none could be read, 2 for
// usage errors, 3 when the preflight failed.
int run_replay_mode(const std::vector<std::string>& args, const std::string& command_line = "tigress-conform replay");

std::string replay_mode_usage();

}  // namespace tigress::conformance
