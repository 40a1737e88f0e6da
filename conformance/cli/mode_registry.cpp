#include "conformance/cli/mode_registry.hpp"

#include <iostream>

#include "harness/connection_flags.hpp"

namespace tigress::conformance {
namespace {

constexpr std::size_t kSummaryColumn = 12;

}  // namespace

std::string modes_help(const std::vector<Mode>& modes, const cli::CommandHelp& help) {
  std::string out = help.usage;
  if (!out.empty() && out.back() != '\n') out += "\n";
  if (!help.description.empty()) out += "\n" + help.description;
  out += "\nModes:\n";
  for (const Mode& mode : modes) {
    std::string left = "  " + mode.name;
    left += left.size() + 1 < kSummaryColumn ? std::string(kSummaryColumn - left.size(), ' ') : "  ";
    std::string text = mode.summary;
    for (std::size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + 1)) {
      text.insert(at + 1, std::string(kSummaryColumn, ' '));
    }
    out += left + text + "\n";
  }
  if (!help.footer.empty()) out += "\n" + help.footer;
  return out;
}

int run_modes(const std::vector<Mode>& modes, const cli::CommandHelp& help, const std::vector<std::string>& argv) {
  const std::string program = argv.empty() ? "tigress-conform" : "tigress-conform";
  if (argv.size() < 2 || argv[1] == "--help" || argv[1] == "-h") {
    std::cout << modes_help(modes, help);
    return argv.size() < 2 ? cli::kExitUsage : 0;
  }
  const std::string command_line = harness::command_line_for_reports(argv);
  const std::vector<std::string> args(argv.begin() + 2, argv.end());
  for (const Mode& mode : modes) {
    if (mode.name == argv[1]) return mode.run(args, command_line);
  }
  return cli::usage_error(program, "unknown mode '" + argv[1] + "' (see --help)");
}

}  // namespace tigress::conformance
