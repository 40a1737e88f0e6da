#include "harness/connection_flags.hpp"

#include "harness/http_text.hpp"
#include "harness/transport.hpp"
#include "common/cli_flag_kinds.hpp"
#include "common/cli_numbers.hpp"

namespace tigress::harness {
namespace {

constexpr long long kMaxRate = 10000;

Error flag_error(const std::string& flag, const std::string& reason) { return make_error(flag + " " + reason); }

// Framing and routing stay the suite's (and the case's) business: an extra Content-Length or
// Host would change what every case tests.
bool reserved_header(std::string_view name) {
  for (std::string_view reserved : {"Host", "Content-Length", "Transfer-Encoding", "Connection"}) {
    if (iequals(name, reserved)) return true;
  }
  return false;
}

Status add_header(const std::string& text, ConnectionOptions& options) {
  const std::size_t colon = text.find(':');
  const std::string_view name = std::string_view(text).substr(0, colon);
  if (colon == std::string::npos || name.empty() ||
      !std::all_of(name.begin(), name.end(), [](char c) { return is_tchar(c); })) {
    return flag_error("--header", "takes 'Name: value' with a token as the name");
  }
  if (reserved_header(name))
    return flag_error("--header", std::string(name) + " cannot be set (the suite frames requests)");
  const std::string_view value = trim_ows(std::string_view(text).substr(colon + 1));
  for (char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t') || byte == 0x7F)
      return flag_error("--header " + std::string(name), "value has control characters");
  }
  options.extra_headers.emplace_back(std::string(name), std::string(value));
  return {};
}

Status add_resolve(const std::string& text, ConnectionOptions& options) {
  const std::size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0)
    return flag_error("--resolve", "takes HOST:ADDR, e.g. relay.example:127.0.0.1");
  std::string address = text.substr(colon + 1);
  if (address.size() > 2 && address.front() == '[' && address.back() == ']')
    address = address.substr(1, address.size() - 2);
  if (!detail::is_ip_literal(address)) {
    return flag_error("--resolve", "ADDR must be an IPv4 or IPv6 address (HOST:ADDR, not curl's HOST:PORT:ADDR)");
  }
  options.resolve.emplace_back(text.substr(0, colon), address);
  return {};
}

}  // namespace

void add_connection_flags(cli::FlagTable& table, ConnectionOptions& options) {
  table.group("gateway options (every request to the target):");
  table.add({"--header", "'NAME: VALUE'",
             "add this header to every request that does not set NAME itself\n"
             "(repeatable); VALUE is a secret: redacted in every report and log",
             [&options](const std::string& value) { return add_header(value, options); }});
  table.add(cli::text_flag("--client-cert", "FILE", "mutual TLS: present this PEM certificate (chain)",
                           options.client_cert_file));
  table.add(cli::text_flag("--client-key", "FILE", "and this unencrypted PEM private key", options.client_key_file));
  table.add({"--resolve", "HOST:ADDR",
             "connect to IP address ADDR for HOST; the TLS server name and the\n"
             "certificate check still use HOST (repeatable)",
             [&options](const std::string& value) { return add_resolve(value, options); }});
  table.add({"--rate", "N",
             "at most N requests per second, all jobs together, probes included\n"
             "(1.." +
                 std::to_string(kMaxRate) + "); implies --honour-retry-after",
             [&options](const std::string& value) -> Status {
               const auto rate = cli::parse_count(value);
               if (!rate || *rate < 1 || *rate > kMaxRate) {
                 return make_error("takes 1.." + std::to_string(kMaxRate) + " requests per second");
               }
               options.rate = std::make_shared<RateLimiter>(static_cast<double>(*rate));
               options.retry_after.enabled = true;
               return {};
             }});
  table.add(cli::switch_flag("--honour-retry-after",
                             "a 429 or 503 with Retry-After is waited out and sent again (at most\n"
                             "3 times and 60 s per request; each wait is logged)",
                             options.retry_after.enabled));
  table.group("");
}

const char* const kConnectionEnvironmentUsage =
    "environment:\n"
    "  SSLKEYLOGFILE=FILE     append every TLS session's keys for Wireshark\n";

Result<bool> take_connection_flag(const std::vector<std::string>& args, std::size_t& i, ConnectionOptions& options) {
  cli::FlagTable table;
  add_connection_flags(table, options);
  return table.take(args, i);
}

Status check_connection_options(const ConnectionOptions& options) {
  if (options.client_cert_file.empty() != options.client_key_file.empty()) {
    return make_error("give --client-cert FILE and --client-key FILE together");
  }
  if (options.client_cert_file.empty()) return {};
  return detail::check_client_certificate(options.client_cert_file, options.client_key_file);
}

std::string command_line_for_reports(const std::vector<std::string>& argv) {
  std::string out;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    std::string arg = argv[i];
    // `--header VALUE` and `--header=VALUE` both carry a secret.
    const bool inline_header = arg.rfind("--header=", 0) == 0;
    if (inline_header || (i > 0 && argv[i - 1] == "--header")) {
      const std::string value = inline_header ? arg.substr(9) : arg;
      const std::size_t colon = value.find(':');
      arg = std::string(inline_header ? "--header=" : "") +
            (colon == std::string::npos ? "<redacted>" : value.substr(0, colon) + ": <redacted>");
    }
    out += (i ? " " : "") + arg;
  }
  return out;
}

}  // namespace tigress::harness
