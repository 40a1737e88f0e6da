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

// One deployment at several addresses: --target and --ca collect; each URL is parsed, the
// prefixes agree, and --ca is trusted for every target or is the i-th target's.
TEST(SharedFlags, RepeatedTargetsOfOneDeploymentAndTheirCas) {
  std::vector<std::string> urls, cas;
  harness::TlsOptions tls;
  cli::FlagTable table;
  add_target_flags(table, urls, cas, tls);
  EXPECT_TRUE(table.defects().empty());
  ASSERT_TRUE(
      table.parse({"--target", "https://a:8443/p", "--target=https://b/p", "--ca", "a.pem", "--ca", "b.pem"}).ok());
  EXPECT_EQ(urls, (std::vector<std::string>{"https://a:8443/p", "https://b/p"}));
  auto instances = parse_targets(urls, cas, tls);
  ASSERT_TRUE(instances.ok()) << instances.error().message();
  ASSERT_EQ(instances->size(), 2u);
  EXPECT_EQ((*instances)[1].target.host, "b");
  EXPECT_EQ((*instances)[1].target.port, 443);
  EXPECT_EQ((*instances)[0].tls.ca_file, "a.pem");
  EXPECT_EQ((*instances)[1].tls.ca_file, "b.pem");
  EXPECT_EQ(describe_targets(*instances), "https://a:8443/p, https://b:443/p");
  EXPECT_EQ(urls_of(*instances), (std::vector<std::string>{"https://a:8443/p", "https://b:443/p"}));

  auto shared = parse_targets(urls, {"bundle.pem"}, tls);
  ASSERT_TRUE(shared.ok());
  EXPECT_EQ((*shared)[0].tls.ca_file, "bundle.pem");
  EXPECT_EQ((*shared)[1].tls.ca_file, "bundle.pem");
  auto miscounted = parse_targets(urls, {"a.pem", "b.pem", "c.pem"}, tls);
  ASSERT_FALSE(miscounted.ok());
  EXPECT_EQ(miscounted.error().message(), "give --ca once (for every target) or once per --target (2), not 3 times");
  harness::TlsOptions insecure;
  insecure.insecure = true;
  EXPECT_FALSE(parse_targets(urls, {"a.pem"}, insecure).ok());
  auto unverified = parse_targets(urls, {}, insecure);
  ASSERT_TRUE(unverified.ok());
  EXPECT_TRUE((*unverified)[1].tls.insecure);

  auto prefixes = parse_targets({"https://a/p", "https://b/q"}, {}, tls);
  ASSERT_FALSE(prefixes.ok());
  EXPECT_NE(prefixes.error().message().find("same path prefix"), std::string::npos) << prefixes.error().message();
  auto twice = parse_targets({"https://a:443", "https://a"}, {}, tls);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().message(), "--target https://a:443 is given twice");
  auto bad = parse_targets({"https://a", "http://b"}, {}, tls);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message().rfind("--target http://b: ", 0), 0u) << bad.error().message();
  auto one = parse_targets({"https://only"}, {"ca.pem"}, tls);
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ(one->front().tls.ca_file, "ca.pem");
}

TEST(ModeRegistry, DispatchesHelpsAndRefusesUnknownModes) {
  std::vector<std::string> seen_args;
  std::string seen_line;
  const std::vector<Mode> modes = {
      {"alpha", "the first\nmode",
       [&](const std::vector<std::string>& args, const std::string& line) {
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
