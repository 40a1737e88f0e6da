#include "reference/client/defects.hpp"

namespace tigress::client {

const std::vector<ClientDefectInfo>& client_defect_catalogue() {
  static const std::vector<ClientDefectInfo> catalogue = {
      {"sends-secret",
       "also sends the share secret (base64url) to the relay in an extra header (8.2.1)",
       {"client/8.2.1/secret-never-sent"},
       &ClientDefects::sends_secret},
      {"keeps-fragment",
       "receive and preview do not strip the #fragment: it goes percent-encoded into the request target (8.2.1)",
       {"client/8.2.1/fragment-stripped-on-read", "client/8.2.1/fragment-stripped-on-preview"},
       &ClientDefects::keeps_fragment},
      {"reuses-iv",
       "every sealed message uses one fixed (all-zero) IV (7.2)",
       {"client/7.2/iv-never-repeats"},
       &ClientDefects::reuses_iv},
      {"plaintext-payload",
       "payload.data carries base64 of the plaintext, not the ciphertext (7.2)",
       {"client/7.2/payload-decrypts-with-secret"},
       &ClientDefects::plaintext_payload},
      {"short-key",
       "declares AEAD_AES_256_GCM but uses a 16-octet secret and key (7.2)",
       {"client/7.2/key-length-matches-algorithm"},
       &ClientDefects::short_key},
      {"same-claim-both-roles",
       "the device claim is derived from the share, so recipient and initiator send the same claim (4.1)",
       {"client/4.1/claims-differ-between-roles"},
       &ClientDefects::same_claim_both_roles},
      {"reuses-claim-across-shares",
       "the initiator uses one fixed device claim for every share (4.1)",
       {"client/4.1/claim-fresh-per-share"},
       &ClientDefects::reuses_claim_across_shares},
      {"reuses-request-id",
       "one Mailbox-Request-ID for every request (5.1)",
       {"client/5.1/request-id-fresh"},
       &ClientDefects::reuses_request_id},
      {"ignores-echo-mismatch",
       "accepts a response whose Mailbox-Request-ID echo differs (5.1)",
       {"client/5.1/echo-mismatch-rejected"},
       &ClientDefects::ignores_echo_mismatch},
      {"new-request-id-on-retry",
       "when the response is lost, retries with a new Mailbox-Request-ID (5.1)",
       {"client/5.1/retry-keeps-request-id"},
       &ClientDefects::new_request_id_on_retry},
      {"no-request-id",
       "sends no Mailbox-Request-ID at all; the relay refuses its Creates (5.1)",
       {"client/5.1/request-id-present"},
       &ClientDefects::no_request_id},
      {"accepts-tampered",
       "on a tag failure still outputs the AES-CTR decryption and exits 0 (8.2.1)",
       {"client/8.2.1/tampered-ciphertext-rejected"},
       &ClientDefects::accepts_tampered},
      {"ignores-content-type",
       "accepts a JSON body served with a non-JSON Content-Type",
       {"client/robustness/wrong-content-type-rejected"},
       &ClientDefects::ignores_content_type},
      {"no-timeout",
       "no read timeout: waits (a day) for a slow relay",
       {"client/robustness/slow-relay-times-out"},
       &ClientDefects::no_timeout},
      {"unbounded-response",
       "accepts a response of any size",
       {"client/robustness/oversized-response-rejected"},
       &ClientDefects::unbounded_response},
      {"secret-in-body",
       "puts the raw key bytes, percent-encoded, into an extra Create body member (8.2.1)",
       {"client/8.2.1/secret-never-sent"},
       &ClientDefects::secret_in_body},
      {"claim-from-key",
       "the recipient's claim is the first 16 key bytes written as a UUID: the key reaches the relay (4.1, 8.2.1)",
       {"client/4.1/claims-unrelated-to-key"},
       &ClientDefects::claim_from_key},
      {"follows-redirects",
       "follows a 307/308 to any origin, claim and Request-ID included",
       {"client/robustness/redirect-307-other-origin-not-followed",
        "client/robustness/redirect-308-other-origin-not-followed"},
       &ClientDefects::follows_redirects},
      {"accepts-http",
       "accepts an http:// share URL and connects to its host and port (7.3, 4.2)",
       {"client/7.3/http-share-url-refused"},
       &ClientDefects::accepts_http},
      {"iv-from-plaintext",
       "derives the IV from the plaintext: the same message twice has the same IV (7.2)",
       {"client/7.2/iv-fresh-for-same-plaintext"},
       &ClientDefects::iv_from_plaintext},
      {"share-url-from-relay-option",
       "builds the share URL on --relay instead of the relay's urlLink (7.3, AMB-20)",
       {"client/7.3/share-url-uses-url-link-origin"},
       &ClientDefects::share_url_from_relay_option},
      {"ignores-refusals",
       "send, delete and relinquish exit 0 when the relay refuses them",
       {"client/robustness/refused-update-fails", "client/robustness/refused-delete-fails",
        "client/robustness/refused-relinquish-fails"},
       &ClientDefects::ignores_refusals},
      {"no-cert-verification",
       "verifies no certificate: a relay whose certificate --ca did not issue is trusted (4.2)",
       {"client/robustness/untrusted-certificate-refused"},
       &ClientDefects::no_cert_verification},
      // Found by the client response fuzzer (tigress-conform fuzz-client), named by its results.
      {"aborts-on-member-type",
       "a member of the Read answer with an unexpected JSON type aborts the process",
       {"fuzz-client/crash"},
       &ClientDefects::aborts_on_member_type},
      {"hangs-on-deep-nesting",
       "a Read answer nested deeper than 64 levels: waits for the rest forever, past its timeout",
       {"fuzz-client/hang"},
       &ClientDefects::hangs_on_deep_nesting},
      {"trusts-unknown-payload-type",
       "an unknown payload.type is taken as unencrypted: payload.data is output as the plaintext",
       {"fuzz-client/wrong-output"},
       &ClientDefects::trusts_unknown_payload_type},
  };
  return catalogue;
}

bool ClientDefects::any() const {
  for (const auto& info : client_defect_catalogue()) {
    if (this->*info.flag) return true;
  }
  return false;
}

Status enable_client_defect(ClientDefects& defects, std::string_view name) {
  for (const auto& info : client_defect_catalogue()) {
    if (info.name == name) {
      defects.*info.flag = true;
      return {};
    }
  }
  // Only a plain name is quoted back; anything else might be a pasted secret.
  const bool plain =
      name.size() <= 40 && name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string_view::npos;
  return make_error("unknown defect " + (plain ? "'" + std::string(name) + "'" : std::string("(not shown)")) +
                    " (see --list-defects)");
}

std::string format_defect_list() {
  std::string text;
  for (const auto& info : client_defect_catalogue()) {
    text += std::string(info.name) + "\t" + std::string(info.description) + "\t";
    for (std::size_t i = 0; i < info.caught_by.size(); ++i) {
      text += (i == 0 ? "" : ",") + std::string(info.caught_by[i]);
    }
    text += "\n";
  }
  return text;
}

}  // namespace tigress::client
