// The shared flags: one spelling and one range in every mode that takes them, and the mode
// table's dispatch and top-level help.
#include "conformance/cli/shared_flags.hpp"

#include <gtest/gtest.h>

#include "conformance/cli/mode_registry.hpp"

namespace tigress::conformance {
namespace {

TEST(SharedFlags, JobsAndTimeoutHaveOneRange) {
  int jobs = 0, timeout = 0;
  cli::FlagTable table;
  add_jobs_flag(table, jobs, "workers");
  add_timeout_flag(table, timeout, "deadline");
  EXPECT_FALSE(table.parse({"--jobs", "0"}).ok());
  EXPECT_FALSE(table.parse({"--jobs", "257"}).ok());
  ASSERT_TRUE(table.parse({"--jobs", "256", "--timeout", "3600"}).ok());
  EXPECT_EQ(jobs, 256);
  EXPECT_EQ(timeout, 3600);
  auto refused = table.parse({"--timeout", "3601"});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message(), "--timeout takes 1..3600 seconds");
  EXPECT_NE(table.help().find("--jobs N             workers; 1..256"), std::string::npos) << table.help();
}

TEST(SharedFlags, TrustChoiceAndSelection) {
  std::string url;
  harness::TlsOptions tls;
  CaseFilter filter;
  bool list = false;
  cli::FlagTable table;
  add_target_flags(table, url, tls);
  add_case_selection_flags(table, filter, list);
  EXPECT_TRUE(table.defects().empty());
  ASSERT_TRUE(table.parse({"--target", "https://r", "--insecure", "--id", "6.*", "--level", "MUST", "--list"}).ok());
  EXPECT_EQ(url, "https://r");
  EXPECT_TRUE(list);
  EXPECT_EQ(filter.id_globs, (std::vector<std::string>{"6.*"}));
  ASSERT_EQ(filter.levels.size(), 1u);
  EXPECT_TRUE(check_trust_flags(tls, true).ok());
  tls.ca_file = "ca.pem";
  EXPECT_FALSE(check_trust_flags(tls, false).ok());
  EXPECT_FALSE(check_trust_flags(harness::TlsOptions{}, true).ok());
  EXPECT_TRUE(check_trust_flags(harness::TlsOptions{}, false).ok());
  auto level = table.parse({"--level", "must-ish"});
  ASSERT_FALSE(level.ok());
  EXPECT_NE(level.error().message().find("--level"), std::string::npos);
}

TEST(ModeRegistry, DispatchesHelpsAndRefusesUnknownModes) {
  std::vector<std::string> seen_args;
  std::string seen_line;
  const std::vector<Mode> modes = {
      {"alpha", "the first\nmode", [&](const std::vector<std::string>& args, const std::string& line) {
         seen_args = args;
         seen_line = line;
         return 7;
       }},
      {"beta", "the second", [](const std::vector<std::string>&, const std::string&) { return 0; }}};
  const cli::CommandHelp help{"usage: prog MODE", "", "Exit status: see above.\n"};
  EXPECT_EQ(run_modes(modes, help, {"prog", "alpha", "--header", "X-Key: s3cret", "x"}), 7);
  EXPECT_EQ(seen_args, (std::vector<std::string>{"--header", "X-Key: s3cret", "x"}));
  EXPECT_EQ(seen_line, "prog alpha --header X-Key: <redacted> x");
  testing::internal::CaptureStdout();
  EXPECT_EQ(run_modes(modes, help, {"prog", "--help"}), 0);
  EXPECT_EQ(testing::internal::GetCapturedStdout(),
            "usage: prog MODE\n\nModes:\n  alpha     the first\n            mode\n  beta      the second\n"
            "\nExit status: see above.\n");
  testing::internal::CaptureStdout();
  EXPECT_EQ(run_modes(modes, help, {"prog"}), 2);
  testing::internal::GetCapturedStdout();
  testing::internal::CaptureStderr();
  EXPECT_EQ(run_modes(modes, help, {"prog", "gamma"}), 2);
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "tigress-conform: unknown mode 'gamma' (see --help)\n");
}

}  // namespace
}  // namespace tigress::conformance
