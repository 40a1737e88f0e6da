#include "reference/client/cli_options.hpp"

#include <algorithm>
#include <array>

namespace tigress::client {
namespace {

struct OptionSpec {
  std::string_view name;
  bool takes_value;
  bool required;
};

struct CommandSpec {
  std::string_view name;
  std::string_view synopsis;
  std::vector<OptionSpec> options;
};

// Accepted by every command.
const std::array<OptionSpec, 4> kCommonOptions{{
    {"ca", true, false},
    {"insecure", false, false},
    {"timeout", true, false},
    {"help", false, false},
}};

const std::vector<CommandSpec>& commands() {
  static const std::vector<CommandSpec> specs{
      {"share",
       "share --relay URL --in FILE --state FILE [--alg AEAD_AES_128_GCM|AEAD_AES_256_GCM]\n"
       "      [--vertical a|h|c] [--rights RWD] [--expires-in SECONDS] [--title T]\n"
       "      [--description D] [--image-url U]\n"
       "    Initiator: encrypt the Provisioning Information in FILE under a fresh secret, create\n"
       "    a mailbox on the relay and print the share URL (with #secret) on stdout.\n"
       "    Defaults: --alg AEAD_AES_128_GCM, --rights RWD (both sides may write and delete),\n"
       "    --expires-in 3600, --title \"Shared credential\", empty description and image URL.",
       {{"relay", true, true}, {"in", true, true}, {"state", true, true}, {"alg", true, false},
        {"vertical", true, false}, {"rights", true, false}, {"expires-in", true, false},
        {"title", true, false}, {"description", true, false}, {"image-url", true, false}}},
      {"receive",
       "receive --url SHARE_URL --state FILE [--out FILE]\n"
       "    Recipient: read the mailbox named by the share URL (the #secret is never sent),\n"
       "    which binds it to this device, decrypt and print the Provisioning Information.",
       {{"url", true, true}, {"state", true, true}, {"out", true, false}}},
      {"preview",
       "preview --url SHARE_URL [--out FILE]\n"
       "    Anyone: fetch the mailbox's link-preview page (GET, as a messaging app does; the\n"
       "    #secret is never sent, no device claim, never binds) and print it.",
       {{"url", true, true}, {"out", true, false}}},
      {"send",
       "send --state FILE --in FILE\n"
       "    Either side: encrypt FILE with the share's secret and update the mailbox.",
       {{"state", true, true}, {"in", true, true}}},
      {"read",
       "read --state FILE [--out FILE]\n"
       "    Either side: read the mailbox, decrypt and print its current content.",
       {{"state", true, true}, {"out", true, false}}},
      {"delete",
       "delete --state FILE\n"
       "    Either side: delete the mailbox (needs the D right).",
       {{"state", true, true}}},
      {"relinquish",
       "relinquish --state FILE\n"
       "    Recipient: give up this device's binding so another device can receive.",
       {{"state", true, true}}},
  };
  return specs;
}

const CommandSpec* find_command(std::string_view name) {
  for (const auto& spec : commands()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

const OptionSpec* find_option(const CommandSpec& command, std::string_view name) {
  for (const auto& option : command.options) {
    if (option.name == name) return &option;
  }
  for (const auto& option : kCommonOptions) {
    if (option.name == name) return &option;
  }
  return nullptr;
}

constexpr std::string_view kCommonHelp =
    "Common options:\n"
    "  --ca FILE          trust the PEM certificate(s) in FILE for the relay (default: system store)\n"
    "  --insecure         do not verify the relay's TLS certificate (testing only)\n"
    "  --timeout SECONDS  connect/read/write timeout per request (default 10)\n"
    "  --help             show help\n"
    "Global options (before COMMAND; for testing conformance suites only):\n"
    "  --defect NAME      switch on a deliberate defect (repeatable)\n"
    "  --list-defects     list them: NAME<TAB>description<TAB>catching case IDs\n"
    "Exit codes: 0 success, 1 protocol/relay/crypto failure (nothing unauthenticated is\n"
    "output), 2 usage error, 89 not implemented by this client (e.g. another --alg).\n";

// Stray arguments are quoted back only when they cannot be a secret: a share URL pasted
// without --url carries its key in the fragment, and stderr must never show it.
std::string shown(std::string_view arg) {
  const bool plain = arg.size() <= 32 && arg.find_first_not_of(
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == std::string_view::npos;
  return plain ? "\"" + std::string(arg) + "\"" : "(not shown: it may hold a secret)";
}

}  // namespace

std::optional<std::string> CommandLine::value(std::string_view name) const {
  const auto found = values.find(std::string(name));
  if (found == values.end()) return std::nullopt;
  return found->second;
}

std::string general_usage() {
  std::string text =
      "usage: tigress-client COMMAND [options]\n\n"
      "Reference client for the TIGRESS mailbox relay (draft-vinokurov-tigress-http-00).\n\n"
      "Commands:\n";
  for (const auto& spec : commands()) text += "  " + std::string(spec.synopsis) + "\n\n";
  return text + std::string(kCommonHelp);
}

std::string command_usage(std::string_view command) {
  const CommandSpec* spec = find_command(command);
  if (spec == nullptr) return general_usage();
  return "usage: tigress-client " + std::string(spec->synopsis) + "\n\n" +
         std::string(kCommonHelp);
}

Result<CommandLine> parse_command_line(const std::vector<std::string>& args) {
  CommandLine line;
  if (args.empty()) return make_error("no command given (see --help)");
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    line.flags.insert("help");
    return line;
  }
  const CommandSpec* spec = find_command(args[0]);
  if (spec == nullptr) return make_error("unknown command " + shown(args[0]) + " (see --help)");
  line.command = args[0];

  for (std::size_t i = 1; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg == "-h") arg = "--help";
    if (arg.substr(0, 2) != "--" || arg.size() == 2) {
      return make_error("unexpected argument " + shown(arg) + " (options start with --)");
    }
    std::string name(arg.substr(2));
    std::optional<std::string> inline_value;
    if (const auto equals = name.find('='); equals != std::string::npos) {
      inline_value = name.substr(equals + 1);
      name.resize(equals);
    }
    const OptionSpec* option = find_option(*spec, name);
    if (option == nullptr) {
      return make_error("unknown option " + shown("--" + name) + " for " + line.command +
                        " (see --help)");
    }
    if (line.has(name) || line.flag(name)) return make_error("--" + name + " given twice");
    if (!option->takes_value) {
      if (inline_value) return make_error("--" + name + " takes no value");
      line.flags.insert(name);
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= args.size()) return make_error("--" + name + " needs a value");
      inline_value = args[++i];
    }
    line.values.emplace(name, std::move(*inline_value));
  }
  if (line.flag("help")) return line;
  for (const auto& option : spec->options) {
    if (option.required && !line.has(option.name)) {
      return make_error(line.command + " needs --" + std::string(option.name) + " (see --help)");
    }
  }
  return line;
}

}  // namespace tigress::client
