// tigress-client's command line (commands.hpp): the global options in front of the command,
// then the command's own table (cli_options.hpp), then the command (command.hpp).
#include "reference/client/commands.hpp"

#include <exception>

#include "reference/client/cli_options.hpp"
#include "reference/client/command.hpp"
#include "reference/client/defects.hpp"
#include "reference/client/variants.hpp"

namespace tigress::client {
namespace {

// The failure line is one line whatever the message holds.
std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

// Consumes the global options in front of the command, each as it comes (a defect is on, with
// its warning, before the next option is read). 0 = go on; otherwise the exit code (-1: done,
// successfully).
int take_global_options(std::vector<std::string>& args, ClientDefects& defects, std::ostream& out, std::ostream& err) {
  GlobalOptions global;
  const cli::FlagTable table = global_flag_table(global);
  std::size_t used = 0;
  for (; used < args.size(); ++used) {
    auto taken = table.take(args, used);
    if (!taken) {
      err << "tigress-client: " << one_line(taken.error().message()) << "\n";
      return kExitUsage;
    }
    if (!*taken) break;
    if (global.list_defects) {
      out << format_defect_list();
      return -1;
    }
    if (global.list_variants) {
      out << format_variant_list();
      return -1;
    }
    if (!global.variants.empty()) {
      if (auto status = enable_client_variant(defects.variants, global.variants.back()); !status) {
        err << "tigress-client: " << one_line(status.error().message()) << "\n";
        return kExitUsage;
      }
      global.variants.clear();
    }
    if (!global.defects.empty()) {
      const std::string name = global.defects.back();
      global.defects.clear();
      if (auto status = enable_client_defect(defects, name); !status) {
        err << "tigress-client: " << one_line(status.error().message()) << "\n";
        return kExitUsage;
      }
      err << "tigress-client: WARNING: deliberate defect '" << name << "' is on; this client does not conform\n";
    }
  }
  args.erase(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(used));
  return 0;
}

}  // namespace

int run_cli(const std::vector<std::string>& original_args, std::ostream& out, std::ostream& err) {
  try {
    std::vector<std::string> args = original_args;
    ClientDefects defects;
    if (const int code = take_global_options(args, defects, out, err); code != 0) {
      return code < 0 ? kExitSuccess : code;
    }
    auto line = parse_command_line(args);
    if (!line) {
      err << "tigress-client: " << one_line(line.error().message()) << "\n";
      return kExitUsage;
    }
    if (line->flag("help")) {
      out << command_usage(line->command);
      return kExitSuccess;
    }
    Outcome outcome = Command(*line, defects, out, err).run();
    if (outcome.code != kExitSuccess) err << "tigress-client: " << one_line(outcome.message) << "\n";
    return outcome.code;
  } catch (const std::exception& e) {
    err << "tigress-client: internal error: " << one_line(e.what()) << "\n";
    return kExitFailure;
  }
}

}  // namespace tigress::client
