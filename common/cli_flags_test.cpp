// The flag table: parsing (separate and inline values, switches, positionals), ranges, one-line
// usage errors, and the help generated from the same table.
#include "common/cli_flags.hpp"

#include <gtest/gtest.h>

#include "common/cli_flag_kinds.hpp"

namespace tigress::cli {
namespace {

struct Values {
  bool verbose = false;
  std::string name;
  int jobs = 8;
  long long ttl = 0;
  std::vector<std::string> tags, paths;
  std::optional<std::uint64_t> seed;
};

FlagTable table_for(Values& v) {
  FlagTable table;
  table.group("options:");
  table.add(switch_flag("--verbose", "say more", v.verbose));
  table.add(text_flag("--name", "TEXT", "a name\nsecond line", v.name));
  table.add(count_flag("--jobs", "N", "workers (default 8)", Range{1, 256, ""}, v.jobs));
  table.add(duration_flag("--ttl", "DURATION", "lifetime", v.ttl, 86400));
  table.add(list_flag("--tag", "T", "repeatable", v.tags));
  table.add(seed_flag("--seed", "seed", v.seed));
  return table;
}

TEST(FlagTable, AppliesEveryKindOfFlag) {
  Values v;
  auto help = table_for(v).parse(
      {"--verbose", "--name", "x y", "--jobs=16", "--ttl", "30m", "--tag", "a", "--tag", "b", "--seed", "18446744073"});
  ASSERT_TRUE(help.ok()) << help.error().message();
  EXPECT_FALSE(*help);
  EXPECT_TRUE(v.verbose);
  EXPECT_EQ(v.name, "x y");
  EXPECT_EQ(v.jobs, 16);
  EXPECT_EQ(v.ttl, 1800);
  EXPECT_EQ(v.tags, (std::vector<std::string>{"a", "b"}));
  ASSERT_TRUE(v.seed.has_value());
  EXPECT_EQ(*v.seed, 18446744073ULL);
}

TEST(FlagTable, ALaterValueOverridesAnEarlierOne) {
  Values v;
  ASSERT_TRUE(table_for(v).parse({"--jobs", "2", "--jobs", "3"}).ok());
  EXPECT_EQ(v.jobs, 3);
}

TEST(FlagTable, RangesAreEnforcedAtBothEnds) {
  for (const char* bad : {"0", "257", "-1", "2.5", "", "one", "99999999999999999999"}) {
    Values v;
    auto parsed = table_for(v).parse({"--jobs", bad});
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().message(), "--jobs takes 1..256") << bad;
    EXPECT_EQ(v.jobs, 8) << "a refused value must not be applied";
  }
  for (const char* good : {"1", "256"}) {
    Values v;
    EXPECT_TRUE(table_for(v).parse({"--jobs", good}).ok()) << good;
  }
  Values v;
  EXPECT_FALSE(table_for(v).parse({"--ttl", "2d"}).ok()) << "above the duration's maximum";
  EXPECT_TRUE(table_for(v).parse({"--ttl", "1d"}).ok());
  EXPECT_FALSE(table_for(v).parse({"--seed", "-3"}).ok());
}

TEST(FlagTable, UsageErrorsAreOneLineNamingTheFlag) {
  Values v;
  const FlagTable table = table_for(v);
  auto unknown = table.parse({"--bogus", "1"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().message(), "unknown option --bogus (see --help)");
  auto missing = table.parse({"--name"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(), "--name needs a value (see --help)");
  auto switch_value = table.parse({"--verbose=yes"});
  ASSERT_FALSE(switch_value.ok());
  EXPECT_EQ(switch_value.error().message(), "--verbose takes no value");
  auto stray = table.parse({"stray"});
  ASSERT_FALSE(stray.ok());
  EXPECT_EQ(stray.error().message(), "unexpected argument stray (see --help)");
  // A pasted share URL carries its key in the fragment: never echoed.
  auto secret = table.parse({"--https://relay/m/x#k3y"});
  ASSERT_FALSE(secret.ok());
  EXPECT_EQ(secret.error().message().find("k3y"), std::string::npos) << secret.error().message();
  auto control = table.parse({"--a\x1b[31m"});
  ASSERT_FALSE(control.ok());
  EXPECT_EQ(control.error().message().find('\x1b'), std::string::npos);
}

TEST(FlagTable, HelpStopsParsingAndPositionalsAreCollected) {
  Values v;
  FlagTable table = table_for(v);
  table.positional("PATH", [&v](const std::string& path) -> Status {
    v.paths.push_back(path);
    return {};
  });
  auto parsed = table.parse({"a.json", "--verbose", "dir", "-h", "--bogus"});
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(*parsed);
  EXPECT_EQ(v.paths, (std::vector<std::string>{"a.json", "dir"}));
  EXPECT_TRUE(v.verbose);
}

TEST(FlagTable, TakeAppliesOneFlagAndLeavesOthers) {
  Values v;
  const FlagTable table = table_for(v);
  std::vector<std::string> args = {"--name", "n", "--other"};
  std::size_t i = 0;
  auto taken = table.take(args, i);
  ASSERT_TRUE(taken.ok());
  EXPECT_TRUE(*taken);
  EXPECT_EQ(i, 1u);
  i = 2;
  taken = table.take(args, i);
  ASSERT_TRUE(taken.ok());
  EXPECT_FALSE(*taken);
}

TEST(FlagTable, HelpIsGeneratedFromTheTable) {
  Values v;
  const std::string help = table_for(v).help();
  EXPECT_EQ(help,
            "options:\n"
            "  --verbose            say more\n"
            "  --name TEXT          a name\n"
            "                       second line\n"
            "  --jobs N             workers (default 8); 1..256\n"
            "  --ttl DURATION       lifetime\n"
            "  --tag T              repeatable\n"
            "  --seed N             seed\n"
            "  --help               this text\n");
  const std::string page = render_help({"usage: prog [options]", "Does things.", "Exit status: 0."}, table_for(v));
  EXPECT_EQ(page.rfind("usage: prog [options]\n\nDoes things.\n\noptions:\n", 0), 0u) << page;
  EXPECT_NE(page.find("this text\n\nExit status: 0.\n"), std::string::npos) << page;
}

TEST(FlagTable, DefectsOfATableAreFound) {
  Values v;
  FlagTable table = table_for(v);
  EXPECT_TRUE(table.defects().empty());
  table.add(switch_flag("--verbose", "again", v.verbose));
  table.add(switch_flag("-q", "short", v.verbose));
  table.add(Flag{"--nothing", "", "", nullptr});
  const auto defects = table.defects();
  ASSERT_EQ(defects.size(), 4u);
  EXPECT_EQ(defects[0], "--verbose is defined twice");
  EXPECT_EQ(defects[1], "'-q' is not a --name");
  EXPECT_EQ(defects[2], "--nothing has no help text");
  EXPECT_EQ(defects[3], "--nothing does nothing");
  auto refused = table.parse({"--verbose"});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message(), "defective flag table: --verbose is defined twice");
}

TEST(FlagTable, UsageErrorIsOneLineWithExitStatusTwo) {
  testing::internal::CaptureStderr();
  EXPECT_EQ(usage_error("prog", "bad\nvalue"), 2);
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "prog: bad value\n");
}

}  // namespace
}  // namespace tigress::cli
