// One tigress-client command run against a relay (commands.hpp): what share, receive, preview,
// send, read, delete and relinquish do, each returning its outcome; run_cli turns the outcome
// into the exit code and the one failure line. Internal to the client library.
#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "reference/client/cli_options.hpp"
#include "reference/client/commands.hpp"
#include "reference/client/defects.hpp"
#include "reference/client/relay_api.hpp"
#include "reference/client/state_file.hpp"
#include "reference/codec/bodies.hpp"
#include "reference/codec/share_url.hpp"

namespace tigress::client {

struct Outcome {
  int code = kExitSuccess;
  std::string message;  // the one failure line, without the "tigress-client: " prefix
};
inline Outcome usage(std::string message) { return {kExitUsage, std::move(message)}; }
inline Outcome unsupported(std::string message) { return {kExitUnsupported, std::move(message)}; }
inline Outcome failure(std::string message) { return {kExitFailure, std::move(message)}; }
inline Outcome failure(const Error& error) { return failure(error.message()); }

// Whole seconds from 1 to `max`; nullopt for anything else.
std::optional<long long> parse_positive(const std::string& text, long long max);
bool path_exists(const std::string& path);
// Section 7 / MBX-PI-01: only a well-formed Provisioning Information object is sealed or
// handed on; anything else fails cleanly (MBX-PI-03).
Result<std::string> read_provisioning_file(const std::string& path);
// The API layer only needs the address; passing a copy without the secret keeps it out of
// reach of anything that might log or send the URL (section 8.2.1).
codec::ShareUrl address_only(const codec::ShareUrl& url);

class Command {
 public:
  Command(const CommandLine& line, const ClientDefects& defects, std::ostream& out, std::ostream& err)
      : line_(line), defects_(defects), out_(out), err_(err) {}

  Outcome run();

 private:
  void progress(std::string_view text) const { err_ << line_.command << ": " << text << "\n"; }

  Result<ApiOptions> api_options() const;
  // `secret` is only for the sends-secret defect; `fragment` only for keeps-fragment.
  Result<std::unique_ptr<RelayApi>> connect(const RelayOrigin& origin, const codec::Secret* secret = nullptr,
                                            std::string fragment = {}) const;
  Result<std::optional<codec::NotificationToken>> notification_token() const;
  Outcome refused(const Error& error) const;
  Outcome emit_plaintext(const std::string& plaintext) const;

  struct Loaded {
    ClientState state;
    codec::ShareUrl mailbox;
    std::unique_ptr<RelayApi> api;
  };
  Result<Loaded> load_and_connect() const;

  // command_share.cpp: setting a transfer up and looking at it.
  Outcome share();
  Outcome receive();
  Outcome preview();
  // command_mailbox.cpp: what either side does with the mailbox afterwards.
  Outcome send();
  Outcome read();
  Outcome remove();
  Outcome relinquish();

  const CommandLine& line_;
  const ClientDefects& defects_;
  std::ostream& out_;
  std::ostream& err_;
};

}  // namespace tigress::client
