#include "common/cli_flags.hpp"

#include <algorithm>
#include <iostream>
#include <set>

namespace tigress::cli {
namespace {

// Where the help text starts, as in the suite's hand-written help before the table: two spaces,
// the flag and its placeholder, padding to this column.
constexpr std::size_t kHelpColumn = 23;

std::string one_line(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

}  // namespace

std::string shown_argument(std::string_view arg) {
  const bool plain = arg.size() <= 64 && std::all_of(arg.begin(), arg.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                              std::string_view("-_.=/:,@+").find(c) != std::string_view::npos;
                     });
  return plain ? std::string(arg) : "(an argument not shown: it may hold a secret or control bytes)";
}

FlagTable& FlagTable::group(std::string heading) {
  current_heading_ = std::move(heading);
  return *this;
}

FlagTable& FlagTable::add(Flag flag) {
  entries_.push_back({current_heading_, std::move(flag)});
  return *this;
}

FlagTable& FlagTable::positional(std::string value_name, std::function<Status(const std::string&)> apply) {
  positional_name_ = std::move(value_name);
  positional_ = std::move(apply);
  return *this;
}

const Flag* FlagTable::find(std::string_view name) const {
  for (const auto& entry : entries_) {
    if (entry.flag.name == name) return &entry.flag;
  }
  return nullptr;
}

std::vector<std::string> FlagTable::names() const {
  std::vector<std::string> out;
  for (const auto& entry : entries_) out.push_back(entry.flag.name);
  return out;
}

Result<bool> FlagTable::take_value(const Flag& flag, const std::vector<std::string>& args, std::size_t& i,
                                   const std::string* inline_value) const {
  std::string value;
  if (flag.value_name.empty()) {
    if (inline_value != nullptr) return make_error(flag.name + " takes no value");
  } else if (inline_value != nullptr) {
    value = *inline_value;
  } else {
    if (i + 1 >= args.size()) return make_error(flag.name + " needs a value (see --help)");
    value = args[++i];
  }
  if (Status applied = flag.apply(value); !applied) {
    const std::string message = one_line(applied.error().message());
    // Appliers say what the value must be ("takes 1..256"); some already name their flag.
    return make_error(message.rfind(flag.name, 0) == 0 ? message : flag.name + " " + message);
  }
  return true;
}

Result<bool> FlagTable::take(const std::vector<std::string>& args, std::size_t& i) const {
  const std::string& arg = args[i];
  if (const Flag* flag = find(arg)) return take_value(*flag, args, i, nullptr);
  const std::size_t equals = arg.find('=');
  if (arg.rfind("--", 0) == 0 && equals != std::string::npos) {
    if (const Flag* flag = find(std::string_view(arg).substr(0, equals))) {
      const std::string value = arg.substr(equals + 1);
      return take_value(*flag, args, i, &value);
    }
  }
  return false;
}

Result<bool> FlagTable::parse(const std::vector<std::string>& args) const {
  // A defective table (say, a flag added twice when two modes' flags were combined) must not
  // parse anything: which definition won would be an accident.
  if (const auto found = defects(); !found.empty()) return make_error("defective flag table: " + found.front());
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") return true;
    auto taken = take(args, i);
    if (!taken) return taken.error();
    if (*taken) continue;
    if (arg.rfind("--", 0) != 0 && arg != "-" && positional_) {
      if (Status applied = positional_(arg); !applied) return make_error(one_line(applied.error().message()));
      continue;
    }
    if (arg.rfind("-", 0) == 0) return make_error("unknown option " + shown_argument(arg) + " (see --help)");
    return make_error("unexpected argument " + shown_argument(arg) + " (see --help)");
  }
  return false;
}

std::string FlagTable::help() const {
  std::string out;
  bool first = true;
  std::string heading;
  for (const auto& entry : entries_) {
    if (first || entry.heading != heading) {
      if (!entry.heading.empty()) out += (first ? "" : "\n") + entry.heading + "\n";
      heading = entry.heading;
      first = false;
    }
    const Flag& flag = entry.flag;
    std::string left = "  " + flag.name + (flag.value_name.empty() ? "" : " " + flag.value_name);
    left += left.size() + 1 < kHelpColumn ? std::string(kHelpColumn - left.size(), ' ') : "  ";
    std::string text = flag.help;
    for (std::size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + 1)) {
      text.insert(at + 1, std::string(kHelpColumn, ' '));
    }
    out += left + text + "\n";
  }
  if (!entries_.empty()) out += "  --help" + std::string(kHelpColumn - 8, ' ') + "this text\n";
  return out;
}

std::vector<std::string> FlagTable::defects() const {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& entry : entries_) {
    const Flag& flag = entry.flag;
    if (!seen.insert(flag.name).second) out.push_back(flag.name + " is defined twice");
    if (flag.name.size() < 3 || flag.name.rfind("--", 0) != 0 || flag.name.find('=') != std::string::npos) {
      out.push_back("'" + flag.name + "' is not a --name");
    }
    if (flag.name == "--help") out.push_back("--help is the table's own");
    if (flag.help.empty()) out.push_back(flag.name + " has no help text");
    if (!flag.apply) out.push_back(flag.name + " does nothing");
  }
  return out;
}

std::string render_help(const CommandHelp& help, const FlagTable& table) {
  std::string out = help.usage;
  if (!out.empty() && out.back() != '\n') out += "\n";
  if (!help.description.empty()) out += "\n" + help.description + (help.description.back() == '\n' ? "" : "\n");
  const std::string options = table.help();
  if (!options.empty()) out += "\n" + options;
  if (!help.footer.empty()) out += "\n" + help.footer + (help.footer.back() == '\n' ? "" : "\n");
  return out;
}

int usage_error(std::string_view program, std::string_view message) {
  std::cerr << program << ": " << one_line(message) << "\n";
  return kExitUsage;
}

std::optional<int> parse_or_exit(const FlagTable& table, const std::vector<std::string>& args, const CommandHelp& help,
                                 std::string_view program) {
  auto wants_help = table.parse(args);
  if (!wants_help) return usage_error(program, wants_help.error().message());
  if (!*wants_help) return std::nullopt;
  std::cout << render_help(help, table);
  return 0;
}

}  // namespace tigress::cli
