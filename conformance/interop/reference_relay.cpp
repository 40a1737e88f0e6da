#include "conformance/interop/reference_relay.hpp"

#include <chrono>
#include <filesystem>

#include "harness/shim_runner.hpp"

namespace tigress::conformance::interop {

Result<std::vector<std::string>> split_list(std::string_view text, std::string_view what) {
  std::vector<std::string> items;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = text.find(',', start);
    std::string_view item = text.substr(start, comma == std::string_view::npos ? text.npos : comma - start);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item.empty()) return make_error(std::string(what) + ": empty item in a comma-separated list");
    items.emplace_back(item);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return items;
}

Result<RelaySpec> parse_relay_spec(std::string_view text) {
  RelaySpec spec;
  spec.text = std::string(text);
  constexpr std::string_view kReference = "reference";
  if (text.substr(0, 8) == "https://") {
    spec.url = std::string(text);
    return spec;
  }
  if (text.substr(0, kReference.size()) != kReference ||
      (text.size() > kReference.size() && text[kReference.size()] != ':')) {
    return make_error("relay '" + std::string(text.substr(0, 80)) +
                      "' is neither an https:// URL nor reference[:FLAGS]");
  }
  std::string flags(text.size() > kReference.size() ? text.substr(kReference.size() + 1) : "");
  for (char& c : flags) {
    if (c == ':') c = ' ';
  }
  for (const auto& word : harness::split_shim_command(flags)) {
    if (word.rfind("--", 0) != 0) return make_error("relay flags start with -- (got '" + word + "')");
    // Keep the run's own listener, certificate and trust: those flags are the run's to set.
    for (std::string_view owned : {"--listen", "--cert", "--key", "--cert-out", "--self-signed", "--public-url"}) {
      if (word == owned || word.rfind(std::string(owned) + "=", 0) == 0) {
        return make_error("relay flag " + std::string(owned) + " is set by the interop run itself");
      }
    }
    if (const auto equals = word.find('='); equals != std::string::npos) {
      spec.extra_args.push_back(word.substr(0, equals));
      spec.extra_args.push_back(word.substr(equals + 1));
    } else {
      spec.extra_args.push_back(word);
    }
  }
  spec.reference = true;
  return spec;
}

std::string sibling_binary(std::string_view name) {
  std::error_code error;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return std::string(name);
  return (self.parent_path() / name).string();
}

Result<ReferenceRelay> ReferenceRelay::start(const std::string& relay_binary,
                                             const std::vector<std::string>& extra_args, const std::string& ca_out) {
  std::vector<std::string> argv{relay_binary, "--listen", "127.0.0.1:0", "--self-signed",
                                "--cert-out", ca_out,     "--threads",   "8"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  // Its stderr (defect warnings, diagnostics) is not ours to show.
  auto process = harness::ChildProcess::start(argv, /*quiet_stderr=*/true);
  if (!process) return process.error();
  auto url = process->wait_for_line_prefix("listening on ", std::chrono::seconds(15));
  if (!url) {
    const int status = process->stop(std::chrono::milliseconds(500));
    return make_error("tigress-relay did not come up (" + url.error().message() + ", exit status " +
                      std::to_string(status) + ")");
  }
  return ReferenceRelay(std::move(*process), *url, ca_out);
}

}  // namespace tigress::conformance::interop
