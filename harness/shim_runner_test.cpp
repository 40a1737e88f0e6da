#include "harness/shim_runner.hpp"

#include <gtest/gtest.h>
#include <signal.h>

namespace tigress::harness {
namespace {

using std::chrono::milliseconds;

ShimOutcome run_sh(const std::string& script, milliseconds timeout = milliseconds(10000),
                   std::size_t max_output = 1 << 20) {
  ShimInvocation invocation;
  invocation.argv = {"/bin/sh", "-c", script};
  invocation.timeout = timeout;
  invocation.max_output_bytes = max_output;
  auto outcome = run_shim(invocation);
  EXPECT_TRUE(outcome.ok()) << (outcome.ok() ? "" : outcome.error().message());
  return outcome.ok() ? *outcome : ShimOutcome{};
}

TEST(SplitShimCommand, SplitsOnSpacesAndTabsOnly) {
  EXPECT_EQ(split_shim_command("  bin/tigress-client\t--defect  reuses-iv "),
            (std::vector<std::string>{"bin/tigress-client", "--defect", "reuses-iv"}));
  EXPECT_EQ(split_shim_command("a \"b c\""), (std::vector<std::string>{"a", "\"b", "c\""}));
  EXPECT_TRUE(split_shim_command(" \t ").empty());
}

TEST(RunShim, CapturesBothStreamsAndExitCode) {
  const auto outcome = run_sh("echo out-line; echo err-line >&2; exit 89");
  EXPECT_EQ(outcome.exit_code, kShimUnsupported);
  EXPECT_EQ(outcome.stdout_text, "out-line\n");
  EXPECT_EQ(outcome.stderr_text, "err-line\n");
  EXPECT_FALSE(outcome.timed_out);
  EXPECT_FALSE(outcome.signalled);
  EXPECT_FALSE(outcome.output_truncated);
}

TEST(RunShim, StdinIsClosedSoReadersDoNotHang) {
  const auto outcome = run_sh("cat; echo done", milliseconds(5000));
  EXPECT_FALSE(outcome.timed_out);
  EXPECT_EQ(outcome.stdout_text, "done\n");
}

TEST(RunShim, KillsAfterTimeoutIncludingHelpers) {
  // The helper `sleep` keeps stdout open; killing only the shell would leave us reading forever.
  const auto outcome = run_sh("sleep 30 & sleep 30", milliseconds(300));
  EXPECT_TRUE(outcome.timed_out);
  EXPECT_FALSE(outcome.signalled);
  EXPECT_LT(outcome.elapsed.count(), 5000);
  EXPECT_GE(outcome.elapsed.count(), 300);
}

TEST(RunShim, LeftoverHelperDoesNotHoldTheOutcome) {
  const auto outcome = run_sh("sleep 30 & echo started; exit 0", milliseconds(10000));
  EXPECT_FALSE(outcome.timed_out);
  EXPECT_EQ(outcome.exit_code, 0);
  EXPECT_EQ(outcome.stdout_text, "started\n");
  EXPECT_LT(outcome.elapsed.count(), 5000);
}

TEST(RunShim, ReportsACrashAsSignalled) {
  const auto outcome = run_sh("kill -SEGV $$");
  EXPECT_TRUE(outcome.signalled);
  EXPECT_EQ(outcome.signal, SIGSEGV);
  EXPECT_FALSE(outcome.timed_out);
}

TEST(RunShim, BoundsOutputAndFlagsTheRest) {
  const auto outcome = run_sh("head -c 100000 /dev/zero; echo tail >&2", milliseconds(10000), 1000);
  EXPECT_EQ(outcome.stdout_text.size(), 1000u);
  EXPECT_TRUE(outcome.output_truncated);
  EXPECT_EQ(outcome.stderr_text, "tail\n");
  EXPECT_EQ(outcome.exit_code, 0);
}

TEST(RunShim, MissingProgramIsAnError) {
  ShimInvocation invocation;
  invocation.argv = {"/nonexistent/tigress-shim-for-test"};
  EXPECT_FALSE(run_shim(invocation).ok());
  invocation.argv.clear();
  EXPECT_FALSE(run_shim(invocation).ok());
}

}  // namespace
}  // namespace tigress::harness
