// The relays of an interop run: an https URL given by the user, or `reference[:FLAGS]`, meaning
// the build's own tigress-relay (next to the tigress-conform binary) started by the run on
// 127.0.0.1 with a fresh self-signed certificate, with FLAGS (e.g. `--defect=NAME`) added to its
// command line. The run stops it again.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/process.hpp"
#include "common/result.hpp"

namespace tigress::conformance::interop {

struct RelaySpec {
  std::string text;  // as given
  bool reference = false;
  std::string url;                      // when !reference
  std::vector<std::string> extra_args;  // when reference: "--defect=X" becomes "--defect", "X"
};

// "https://host[:port]" or "reference" or "reference:--flag=value[:--flag2=value2...]"
// (whitespace also separates flags). Anything else is a usage error.
Result<RelaySpec> parse_relay_spec(std::string_view text);

// Splits --relays / --clients lists on commas; empty items are an error.
Result<std::vector<std::string>> split_list(std::string_view text, std::string_view what);

class ReferenceRelay {
 public:
  // `ca_out` receives the relay's certificate (PEM) for the clients' --ca.
  static Result<ReferenceRelay> start(const std::string& relay_binary, const std::vector<std::string>& extra_args,
                                      const std::string& ca_out);
  const std::string& url() const { return url_; }
  const std::string& ca_file() const { return ca_file_; }

 private:
  ReferenceRelay(harness::ChildProcess process, std::string url, std::string ca_file)
      : process_(std::move(process)), url_(std::move(url)), ca_file_(std::move(ca_file)) {}
  harness::ChildProcess process_;  // stopped (SIGTERM, then SIGKILL) on destruction
  std::string url_;
  std::string ca_file_;
};

// tigress-relay in the directory of the running executable.
std::string sibling_binary(std::string_view name);

}  // namespace tigress::conformance::interop
