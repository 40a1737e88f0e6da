// tigress-client's command line on the flag-table layer: every table is sound, the help lists
// every option a command takes, and the grammar's refusals (unknown command or option, a value
// missing, an option repeated, a required one absent) are usage errors.
#include "reference/client/cli_options.hpp"

#include <gtest/gtest.h>

namespace tigress::client {
namespace {

TEST(ClientCommandLine, EveryTableIsSound) {
  for (const auto& command : command_names()) {
    CommandLine line;
    const auto table = command_flag_table(command, line);
    EXPECT_TRUE(table.defects().empty()) << command << ": " << table.defects().front();
    EXPECT_FALSE(table.names().empty()) << command;
    const std::string help = command_usage(command);
    for (const auto& name : table.names()) EXPECT_NE(help.find(name), std::string::npos) << command << " " << name;
  }
  GlobalOptions global;
  EXPECT_TRUE(global_flag_table(global).defects().empty());
  const std::string general = general_usage();
  for (const auto& name : global_flag_table(global).names()) EXPECT_NE(general.find(name), std::string::npos) << name;
  for (const auto& command : command_names()) EXPECT_NE(general.find("  " + command + " "), std::string::npos);
}

TEST(ClientCommandLine, ValuesFlagsAndHelp) {
  auto line = parse_command_line({"read", "--state=s.json", "--insecure", "--timeout", "5"});
  ASSERT_TRUE(line.ok()) << line.error().message();
  EXPECT_EQ(line->command, "read");
  EXPECT_EQ(line->value("state"), "s.json");
  EXPECT_EQ(line->value("timeout"), "5");
  EXPECT_TRUE(line->flag("insecure"));
  EXPECT_FALSE(line->has("out"));
  for (const auto& args : std::vector<std::vector<std::string>>{{"read", "--help"}, {"share", "-h"}, {"help"}}) {
    auto help = parse_command_line(args);
    ASSERT_TRUE(help.ok()) << args.front();
    EXPECT_TRUE(help->flag("help"));
  }
}

TEST(ClientCommandLine, RefusalsSayWhatIsWrong) {
  const auto error_of = [](const std::vector<std::string>& args) {
    auto line = parse_command_line(args);
    return line ? std::string("(accepted)") : line.error().message();
  };
  EXPECT_EQ(error_of({"read", "--state", "a", "--state", "b"}), "--state given twice");
  EXPECT_EQ(error_of({"read", "--insecure", "--insecure", "--state", "a"}), "--insecure given twice");
  EXPECT_EQ(error_of({"read"}), "read needs --state (see --help)");
  EXPECT_EQ(error_of({"read", "--state"}), "--state needs a value (see --help)");
  EXPECT_EQ(error_of({"read", "--state", "a", "--url", "u"}), "unknown option --url (see --help)");
  EXPECT_EQ(error_of({"read", "--insecure=yes", "--state", "a"}), "--insecure takes no value");
  EXPECT_EQ(error_of({"frobnicate"}), "unknown command frobnicate (see --help)");
  // A pasted share URL is never echoed: its fragment is the key.
  const std::string url = "https://relay.example/v1/m/6f1c0b5e-8a3b-4d2e-9c4f-1a2b3c4d5e6f#hXlr6aRC7KgJpOLTNZaLsw";
  EXPECT_EQ(error_of({url}).find("hXlr6aRC7KgJpOLTNZaLsw"), std::string::npos);
  EXPECT_EQ(error_of({"receive", "--state", "s", url}).find("hXlr6aRC7KgJpOLTNZaLsw"), std::string::npos);
}

}  // namespace
}  // namespace tigress::client
