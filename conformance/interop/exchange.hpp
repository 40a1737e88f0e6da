// One cell of the interop matrix: a complete share between two client implementations through
// one relay, driven only through the shim contract (harness/SHIM.md):
//   share (initiator) -> receive (recipient, content equals) -> reply (recipient send) ->
//   read (initiator, content equals the reply) -> second-device (another recipient device must
//   be refused: single recipient, draft 4.1 / 8.1.1) -> delete (initiator) ->
//   read-after-delete (the recipient must be refused: 6.3).
// The first step that does not pass ends the cell; a step a client reports unsupported (89)
// makes the cell SKIP. The share is deleted again on the way out whatever happened.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "conformance/interop/interop_types.hpp"

namespace tigress::conformance::interop {

// The step names in order, as they appear in reports.
const std::vector<std::string>& exchange_step_names();

struct ExchangeSettings {
  std::string relay_url;
  std::string ca_file;                             // passed as --ca when not empty
  bool insecure = false;                           // passed as --insecure
  int client_timeout_seconds = 10;                 // passed as --timeout to every command
  std::chrono::milliseconds step_deadline{40000};  // the shim is killed after this
  std::string work_dir;                            // an existing private directory for this cell
};

// `initiator` and `recipient` are the split shim command words.
Cell run_exchange(const std::vector<std::string>& initiator, const std::vector<std::string>& recipient,
                  const ExchangeSettings& settings);

}  // namespace tigress::conformance::interop
