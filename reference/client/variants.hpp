// Defensible variants of the reference client: behaviours the draft and the catalogue allow but
// the reference client does not choose by default (`tigress-client --variant NAME COMMAND ...`).
// They exist to prove that the client conformance cases do not fail a client for a reading the
// catalogue accepts: a client with any of them on must get no FAIL (at most the WARN of a
// lenient reading, which --strict turns into FAIL where the strict reading requires it).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace tigress::client {

struct ClientVariants {
  bool read_without_request_id = false;  // Reads carry no Mailbox-Request-ID (6.5 lists none)
  bool payload_base64url = false;        // payload.data written base64url unpadded (AMB-45)
  bool secret_base64url = false;         // the share URL's #secret in base64url unpadded (AMB-45)
  bool notification_token = false;       // a fresh notificationToken with every Create and Update
};

struct ClientVariantInfo {
  std::string_view name;
  std::string_view description;
  std::vector<std::string_view> warned_by;  // cases that WARN on it (FAIL under --strict)
  bool ClientVariants::*flag;
};

const std::vector<ClientVariantInfo>& client_variant_catalogue();

// Switches on the named variant; an unknown name is an error naming it.
Status enable_client_variant(ClientVariants& variants, std::string_view name);

// `NAME<TAB>description<TAB>case_id[,case_id...]` per line (the cases that WARN), as
// `--list-variants` prints it.
std::string format_variant_list();

}  // namespace tigress::client
