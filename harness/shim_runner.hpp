// Runs one client implementation through its "shim" (harness/SHIM.md): a command line given as a
// single string, split on whitespace, to which the suite appends a tigress-client command. The
// child runs without a shell, with stdin closed, in its own process group so a timeout kills any
// helper processes the shim started as well. Output is captured up to a bound per stream.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace tigress::harness {

// Exit code by which a shim says "this client does not implement that" (reported as SKIP).
constexpr int kShimUnsupported = 89;

// Whitespace split of a --shim string; no shell, no quoting rules beyond plain spaces/tabs.
std::vector<std::string> split_shim_command(std::string_view command);

struct ShimInvocation {
  std::vector<std::string> argv;             // full argv: shim words + command + options
  std::chrono::milliseconds timeout{30000};  // killed (SIGKILL) after this
  std::size_t max_output_bytes = 1 << 20;    // per stream; the rest is discarded and flagged
};

struct ShimOutcome {
  int exit_code = -1;  // valid when !timed_out && !signalled
  bool timed_out = false;
  bool signalled = false;  // killed by a signal it did not get from us (crash)
  int signal = 0;
  std::string stdout_text, stderr_text;
  bool output_truncated = false;
  std::chrono::milliseconds elapsed{0};
};

// Error only when the process cannot be started at all (e.g. no such file).
Result<ShimOutcome> run_shim(const ShimInvocation& invocation);

}  // namespace tigress::harness
