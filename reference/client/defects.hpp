// Deliberate single defects of the reference client, the client-side twin of
// reference/relay/defects.hpp: one struct of switches, all off by default, each switched on by
// name (`tigress-client --defect NAME COMMAND ...`). They exist only to prove that the client
// conformance cases notice a broken client; a client with any of them on is not conforming.
// Each is planted where a real client would plausibly get it wrong (see the .cpp for where).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "reference/client/variants.hpp"

namespace tigress::client {

struct ClientDefects {
  // confidentiality of the share secret (8.2.1)
  bool sends_secret = false;    // the secret also travels in a request header
  bool keeps_fragment = false;  // receive and preview put the #fragment into the target
  // payload encryption (7.2)
  bool reuses_iv = false;          // the IV buffer is never filled: all zero, always
  bool plaintext_payload = false;  // payload.data is base64 of the plaintext
  bool short_key = false;          // labels AEAD_AES_256_GCM, keys with 16 octets
  bool accepts_tampered = false;   // tag failure: outputs the CTR decryption anyway
  // device claims (4.1)
  bool same_claim_both_roles = false;       // claim derived from the share, equal on both sides
  bool reuses_claim_across_shares = false;  // the initiator's claim is one constant
  // request IDs (5.1)
  bool reuses_request_id = false;        // one constant Mailbox-Request-ID
  bool ignores_echo_mismatch = false;    // a different echoed Request-ID is accepted
  bool new_request_id_on_retry = false;  // the retry after a lost response gets a fresh ID
  bool no_request_id = false;            // no Mailbox-Request-ID on any request
  // robustness against a hostile or broken relay
  bool ignores_content_type = false;  // JSON accepted under any Content-Type
  bool no_timeout = false;            // waits (practically) forever for the relay
  bool unbounded_response = false;    // no limit on the response size
  // found through the contract by the second round of client cases
  bool secret_in_body = false;               // raw key bytes percent-encoded in a Create body member
  bool claim_from_key = false;               // the recipient's claim is the first 16 key bytes
  bool follows_redirects = false;            // follows 307/308 wherever they point, claim included
  bool accepts_http = false;                 // an http:// share URL is used (cleartext to its port)
  bool iv_from_plaintext = false;            // IV = SHA-256(plaintext)[0..12)
  bool share_url_from_relay_option = false;  // share URL built on --relay, not the relay's urlLink
  bool ignores_refusals = false;             // send, delete and relinquish exit 0 on a 4xx
  bool no_cert_verification = false;         // any certificate accepted, --ca or not

  // answers only the client response fuzzer sends (careless_reading.hpp)
  bool aborts_on_member_type = false;        // a Read member of another JSON type aborts
  bool hangs_on_deep_nesting = false;        // a Read body nested past 64 levels: waits forever
  bool trusts_unknown_payload_type = false;  // an unknown payload.type: data output as plaintext

  // Not defects: the defensible variants (variants.hpp) ride along wherever the switches go.
  ClientVariants variants;

  bool any() const;
};

struct ClientDefectInfo {
  std::string_view name;  // the --defect NAME
  std::string_view description;
  std::vector<std::string_view> caught_by;  // client conformance case IDs that must notice it
  bool ClientDefects::*flag;
};

const std::vector<ClientDefectInfo>& client_defect_catalogue();

// Switches on the named defect; an unknown name is an error naming it.
Status enable_client_defect(ClientDefects& defects, std::string_view name);

// `NAME<TAB>description<TAB>case_id[,case_id...]` per line, as `--list-defects` prints it.
std::string format_defect_list();

}  // namespace tigress::client
