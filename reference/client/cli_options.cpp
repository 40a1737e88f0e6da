#include "reference/client/cli_options.hpp"

#include <utility>

#include "common/cli_flag_kinds.hpp"

namespace tigress::client {
namespace {

struct OptionSpec {
  std::string_view name;        // without "--"
  std::string_view value_name;  // empty: a switch
  std::string_view help;
  bool required = false;
};

struct CommandSpec {
  std::string_view name;
  std::string_view description;
  std::vector<OptionSpec> options;
};

constexpr std::string_view kCommonHeading = "Common options:";

// Accepted by every command.
const std::vector<OptionSpec>& common_options() {
  static const std::vector<OptionSpec> options{
      {"ca", "FILE", "trust the PEM certificate(s) in FILE for the relay (default: system store)"},
      {"insecure", "", "do not verify the relay's TLS certificate (testing only)"},
      {"timeout", "SECONDS", "connect/read/write timeout per request (default 10)"},
  };
  return options;
}

const std::vector<CommandSpec>& commands() {
  static const std::vector<CommandSpec> specs{
      {"share",
       "Initiator: encrypt the Provisioning Information in FILE under a fresh secret, create\n"
       "a mailbox on the relay and print the share URL (with #secret) on stdout.",
       {{"relay", "URL", "the relay's origin (https://host[:port])", true},
        {"in", "FILE", "the Provisioning Information to share", true},
        {"state", "FILE", "where this device's state is saved (must not exist)", true},
        {"alg", "NAME", "the payload's AEAD algorithm: AEAD_AES_128_GCM (default) or AEAD_AES_256_GCM"},
        {"vertical", "a|h|c", "the share URL's vertical (access, home, car; draft 7.3.1)"},
        {"rights", "RWD", "the access rights (default RWD: both sides may write and delete)"},
        {"expires-in", "SECONDS", "the mailbox's lifetime (default 3600)"},
        {"title", "T", "displayInformation.title (default \"Shared credential\")"},
        {"description", "D", "displayInformation.description (default empty)"},
        {"image-url", "U", "displayInformation.imageURL (default empty)"}}},
      {"receive",
       "Recipient: read the mailbox named by the share URL (the #secret is never sent),\n"
       "which binds it to this device, decrypt and print the Provisioning Information.",
       {{"url", "SHARE_URL", "the share URL, with its #secret", true},
        {"state", "FILE", "where this device's state is saved (must not exist)", true},
        {"out", "FILE", "write the Provisioning Information there (owner-only), not on stdout"}}},
      {"preview",
       "Anyone: fetch the mailbox's link-preview page (GET, as a messaging app does; the\n"
       "#secret is never sent, no device claim, never binds) and print it.",
       {{"url", "SHARE_URL", "the share URL (its #secret, if any, is never sent)", true},
        {"out", "FILE", "write the page there, not on stdout"}}},
      {"send",
       "Either side: encrypt FILE with the share's secret and update the mailbox.",
       {{"state", "FILE", "this device's state (from share or receive)", true},
        {"in", "FILE", "the Provisioning Information to send", true}}},
      {"read",
       "Either side: read the mailbox, decrypt and print its current content.",
       {{"state", "FILE", "this device's state (from share or receive)", true},
        {"out", "FILE", "write the Provisioning Information there (owner-only), not on stdout"}}},
      {"delete",
       "Either side: delete the mailbox (needs the D right).",
       {{"state", "FILE", "this device's state (from share or receive)", true}}},
      {"relinquish",
       "Recipient: give up this device's binding so another device can receive.",
       {{"state", "FILE", "this device's state (from receive)", true}}},
  };
  return specs;
}

const CommandSpec* find_command(std::string_view name) {
  for (const auto& spec : commands()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

// The client refuses a repeated option rather than letting the later one win: two --state
// files or two --url share URLs on one command line are a mistake, never an override.
cli::Flag once(const OptionSpec& option, CommandLine& line) {
  const std::string name(option.name);
  const bool takes_value = !option.value_name.empty();
  return {"--" + name, std::string(option.value_name), std::string(option.help),
          [&line, name, takes_value](const std::string& value) -> Status {
            if (line.has(name) || line.flag(name)) return make_error("--" + name + " given twice");
            if (takes_value)
              line.values.emplace(name, value);
            else
              line.flags.insert(name);
            return {};
          }};
}

// "share --relay URL --in FILE [--alg NAME]...": the usage line generated from the options.
std::string synopsis(const CommandSpec& spec) {
  std::string text(spec.name);
  std::size_t column = text.size();
  for (const auto& option : spec.options) {
    std::string word =
        "--" + std::string(option.name) + (option.value_name.empty() ? "" : " " + std::string(option.value_name));
    if (!option.required) word = "[" + word + "]";
    if (column + 1 + word.size() > 88) {
      text += "\n     ";
      column = 5;
    }
    text += " " + word;
    column += 1 + word.size();
  }
  return text;
}

cli::FlagTable common_table(CommandLine& line) {
  cli::FlagTable table;
  table.group(std::string(kCommonHeading));
  for (const auto& option : common_options()) table.add(once(option, line));
  return table;
}

constexpr std::string_view kExitCodes =
    "Exit codes: 0 success, 1 protocol/relay/crypto failure (nothing unauthenticated is\n"
    "output), 2 usage error, 89 not implemented by this client (e.g. another --alg).";

std::string global_help() {
  GlobalOptions unused;
  return global_flag_table(unused).help();
}

}  // namespace

std::optional<std::string> CommandLine::value(std::string_view name) const {
  const auto found = values.find(std::string(name));
  if (found == values.end()) return std::nullopt;
  return found->second;
}

std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const auto& spec : commands()) names.emplace_back(spec.name);
  return names;
}

cli::FlagTable command_flag_table(std::string_view command, CommandLine& line) {
  cli::FlagTable table;
  const CommandSpec* spec = find_command(command);
  if (spec == nullptr) return table;
  table.group("Options of " + std::string(spec->name) + ":");
  for (const auto& option : spec->options) table.add(once(option, line));
  table.group(std::string(kCommonHeading));
  for (const auto& option : common_options()) table.add(once(option, line));
  return table;
}

cli::FlagTable global_flag_table(GlobalOptions& options) {
  cli::FlagTable table;
  table.group("Global options (before COMMAND; for testing conformance suites only):");
  table.add(cli::list_flag("--defect", "NAME", "switch on a deliberate defect (repeatable)", options.defects));
  table.add(cli::switch_flag("--list-defects", "list them: NAME<TAB>description<TAB>catching case IDs",
                             options.list_defects));
  table.add(cli::list_flag("--variant", "NAME", "take a defensible reading other than the reference's (repeatable)",
                           options.variants));
  table.add(cli::switch_flag("--list-variants", "list them: NAME<TAB>description<TAB>cases allowed to WARN",
                             options.list_variants));
  return table;
}

std::string general_usage() {
  std::string text =
      "usage: tigress-client [global options] COMMAND [options]\n\n"
      "Reference client for the TIGRESS mailbox relay (draft-vinokurov-tigress-http-00).\n\n"
      "Commands:\n";
  for (const auto& spec : commands()) {
    std::string description(spec.description);
    for (std::size_t at = description.find('\n'); at != std::string::npos; at = description.find('\n', at + 1)) {
      description.insert(at + 1, "    ");
    }
    text += "  " + synopsis(spec) + "\n    " + description + "\n\n";
  }
  CommandLine unused;
  return text + common_table(unused).help() + "\n" + global_help() + "\n" + std::string(kExitCodes) + "\n";
}

std::string command_usage(std::string_view command) {
  const CommandSpec* spec = find_command(command);
  if (spec == nullptr) return general_usage();
  CommandLine unused;
  const cli::CommandHelp help{"usage: tigress-client " + synopsis(*spec) + " [common options]",
                              std::string(spec->description), std::string(kExitCodes)};
  return cli::render_help(help, command_flag_table(command, unused));
}

Result<CommandLine> parse_command_line(const std::vector<std::string>& args) {
  CommandLine line;
  if (args.empty()) return make_error("no command given (see --help)");
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    line.flags.insert("help");
    return line;
  }
  const CommandSpec* spec = find_command(args[0]);
  // A stray first argument may be a pasted share URL: the table's error line never echoes one.
  if (spec == nullptr) return make_error("unknown command " + cli::shown_argument(args[0]) + " (see --help)");
  line.command = args[0];
  const cli::FlagTable table = command_flag_table(line.command, line);
  auto wants_help = table.parse(std::vector<std::string>(args.begin() + 1, args.end()));
  if (!wants_help) return wants_help.error();
  if (*wants_help) {
    line.flags.insert("help");
    return line;
  }
  for (const auto& option : spec->options) {
    if (option.required && !line.has(option.name)) {
      return make_error(line.command + " needs --" + std::string(option.name) + " (see --help)");
    }
  }
  return line;
}

}  // namespace tigress::client
