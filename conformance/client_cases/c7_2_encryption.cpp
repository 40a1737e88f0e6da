// Client cases for draft section 7.2 (payload encryption) and 7 (Provisioning Information): the
// suite opens every payload the client uploaded with the share URL's secret itself.
#include <set>

#include <nlohmann/json.hpp>

#include "conformance/client_cases/case_support.hpp"
#include "reference/crypto/aead.hpp"

namespace tigress::conformance::client_suite {
namespace {

// Opens every uploaded payload with `secret`; returns the plaintexts (violations for the rest).
std::vector<std::string> open_all(ClientCaseContext& ctx, const Bytes& secret,
                                  const std::vector<UploadedPayload>& uploads) {
  std::vector<std::string> plaintexts;
  for (const auto& upload : uploads) {
    const OpenedPayload opened = open_uploaded(upload, secret);
    if (ctx.check(opened.opened, std::string(operation_name(upload.operation)) +
                                     " payload does not decrypt with the share secret: " + opened.why)) {
      plaintexts.push_back(opened.plaintext);
    }
  }
  return plaintexts;
}

bool same_json(const std::string& a, const std::string& b) {
  const auto x = nlohmann::json::parse(a, nullptr, false);
  return !x.is_discarded() && x == nlohmann::json::parse(b, nullptr, false);
}

TIGRESS_CASE(kClient, "client/7.2/payload-decrypts-with-secret", "7.2", kConfidentiality, kMust,
             ({"MBX-ENC-04", "MBX-ENC-07", "MBX-CLI-01", "TM-09"}),
             "the Create payload opens with the share URL's secret (IV 12 | ciphertext | tag 16, empty AAD) to the "
             "shared plaintext") {
  const Share share = ctx.must_share();
  const auto uploads = uploaded_payloads(ctx.exchanges());
  if (uploads.empty()) ctx.abort_fail("no Create with a payload was recorded");
  const auto plaintexts = open_all(ctx, share.secret, uploads);
  if (!plaintexts.empty())
    ctx.check(same_json(plaintexts.front(), share.plaintext),
              "the Create payload decrypts to something other than the shared plaintext");
}

TIGRESS_CASE(kClient, "client/7.2/key-length-matches-algorithm", "7.2", kConfidentiality, kMust,
             ({"MBX-ENC-06", "TM-10"}),
             "the secret has 16 bytes for AEAD_AES_128_GCM and 32 for AEAD_AES_256_GCM, as payload.type declares") {
  int checked = 0;
  for (const char* algorithm : {"AEAD_AES_128_GCM", "AEAD_AES_256_GCM"}) {
    const std::size_t before = uploaded_payloads(ctx.exchanges()).size();
    const Share share = ctx.share(ShareOptions{algorithm, "", "", false});
    if (share.run.unsupported()) {
      ctx.note(std::string(algorithm) + " unsupported (exit 89)");
      continue;
    }
    ctx.must(share.run, std::string("share --alg ") + algorithm);
    const auto uploads = uploaded_payloads(ctx.exchanges());
    if (uploads.size() <= before) ctx.abort_fail("no Create payload recorded for " + std::string(algorithm));
    const auto& upload = uploads.back();
    ctx.check(upload.type == algorithm,
              "share --alg " + std::string(algorithm) + " declared payload.type \"" + upload.type + "\"");
    if (const auto declared = crypto::algorithm_from_name(upload.type)) {
      ctx.check(share.secret.size() == crypto::key_size(*declared),
                upload.type + " with a " + std::to_string(share.secret.size()) + "-byte secret (needs " +
                    std::to_string(crypto::key_size(*declared)) + ")");
    }
    ++checked;
  }
  if (checked == 0) ctx.skip("the client supports neither algorithm through --alg");
}

TIGRESS_CASE(kClient, "client/7.2/iv-never-repeats", "7.2", kConfidentiality, kMust, ({"MBX-ENC-03", "TM-11"}),
             "the 96-bit IVs of every message (both roles, several updates, two shares) are all different") {
  const Share first = ctx.must_share();
  const std::string recipient = ctx.must_receive(first);
  std::string text, marker;
  for (int i = 0; i < 3; ++i) ctx.must(ctx.send(first.state, text, marker), "send (initiator)");
  for (int i = 0; i < 2; ++i) ctx.must(ctx.send(recipient, text, marker), "send (recipient)");
  const Share second = ctx.must_share();
  ctx.must(ctx.send(second.state, text, marker), "send (initiator, second share)");
  std::set<Bytes> seen;
  int messages = 0;
  for (const auto& upload : uploaded_payloads(ctx.exchanges())) {
    if (!upload.data || upload.data->size() < crypto::kIvSize) continue;
    ++messages;
    const Bytes iv(upload.data->begin(), upload.data->begin() + crypto::kIvSize);
    ctx.check(seen.insert(iv).second, "message " + std::to_string(messages) + " (" +
                                          std::string(operation_name(upload.operation)) + ") repeats an earlier IV");
  }
  if (messages < 8) ctx.abort_fail("only " + std::to_string(messages) + " payloads recorded, expected 8");
  ctx.note(std::to_string(messages) + " IVs compared");
}

TIGRESS_CASE(kClient, "client/7.2/iv-fresh-for-same-plaintext", "7.2", kConfidentiality, kMust,
             ({"MBX-ENC-03", "TM-11"}),
             "the same plaintext sent twice (and shared once more) is sealed under three different IVs") {
  std::string plaintext, marker;
  const std::string file = ctx.provisioning_file(plaintext, marker);
  const std::string state = ctx.path("initiator.state");
  ctx.must(ctx.run("share", {"--relay", ctx.relay().base_url(), "--in", file, "--state", state}), "share");
  for (int i = 0; i < 2; ++i) ctx.must(ctx.run("send", {"--state", state, "--in", file}), "send (the same file again)");
  std::set<Bytes> ivs;
  int messages = 0;
  for (const auto& upload : uploaded_payloads(ctx.exchanges())) {
    if (!upload.data || upload.data->size() < crypto::kIvSize) continue;
    ++messages;
    ctx.check(ivs.insert(Bytes(upload.data->begin(), upload.data->begin() + crypto::kIvSize)).second,
              "message " + std::to_string(messages) +
                  " repeats the IV of the same plaintext sent before (7.2: a random IV per message)");
  }
  if (messages < 3)
    ctx.abort_fail("only " + std::to_string(messages) + " payloads recorded for one share and two sends");
}

TIGRESS_CASE(kClient, "client/7.2/iv-and-tag-sizes", "7.2", kMessageFormat, kMust, ({"MBX-ENC-03", "MBX-ENC-04"}),
             "payload.data is at least 28 bytes and authenticates with a 12-byte IV and a 16-byte tag") {
  const Share share = ctx.must_share();
  for (const auto& upload : uploaded_payloads(ctx.exchanges())) {
    ctx.check(upload.data && upload.data->size() >= crypto::kIvSize + crypto::kTagSize,
              "payload.data is not base64 (in any accepted spelling) of at least 28 bytes");
  }
  open_all(ctx, share.secret, uploaded_payloads(ctx.exchanges()));
}

TIGRESS_CASE(kClient, "client/7.2/payload-shape", "7.2", kMessageFormat, kMust, ({"MBX-ENC-01"}),
             "payload is an object with string type (an RFC 5116 name) and string data in base64 (standard padded; "
             "other spellings WARN)") {
  const CompleteExchange exchange = complete_exchange(ctx);
  const auto uploads = uploaded_payloads(ctx.exchanges());
  if (uploads.size() < 2) ctx.abort_fail("expected a Create and an Update payload");
  for (const auto& upload : uploads) {
    const std::string where(operation_name(upload.operation));
    ctx.check(upload.payload_is_object, where + ": payload is not an object");
    ctx.check(crypto::algorithm_from_name(upload.type).has_value(),
              where + ": payload.type is not an AEAD_AES_*_GCM name");
    if (!ctx.check(upload.data.has_value(), where + ": payload.data is no base64 spelling MBX-ENC-01 accepts"))
      continue;
    // MBX-ENC-01 acceptable (AMB-45): base64url or unpadded; only the strict reading (standard
    // alphabet, padded) passes without remark, and --strict requires it.
    if (!upload.data_strict) {
      ctx.warn(where + ": payload.data is " + upload.data_spelling +
               ", accepted only leniently (MBX-ENC-01 strict: standard base64 with padding, AMB-45)");
    }
  }
}

TIGRESS_CASE(kClient, "client/7.2/aes-128-supported", "7.2", kMessageFormat, kMust, ({"MBX-ENC-02"}),
             "share --alg AEAD_AES_128_GCM declares that type and the recipient decrypts it") {
  const Share share = ctx.must_share(ShareOptions{"AEAD_AES_128_GCM", "", "", false});
  const auto uploads = uploaded_payloads(ctx.exchanges());
  ctx.check(!uploads.empty() && uploads.front().type == "AEAD_AES_128_GCM", "payload.type is not AEAD_AES_128_GCM");
  ctx.must_receive(share);
}

TIGRESS_CASE(kClient, "client/7.2/aes-256-supported", "7.2", kMessageFormat, kMust, ({"MBX-ENC-02"}),
             "share --alg AEAD_AES_256_GCM declares that type and the recipient decrypts it") {
  const Share share = ctx.must_share(ShareOptions{"AEAD_AES_256_GCM", "", "", false});
  const auto uploads = uploaded_payloads(ctx.exchanges());
  ctx.check(!uploads.empty() && uploads.front().type == "AEAD_AES_256_GCM", "payload.type is not AEAD_AES_256_GCM");
  ctx.must_receive(share);
}

TIGRESS_CASE(kClient, "client/7/plaintext-envelope", "7", kMessageFormat, kShould, ({"MBX-PI-01"}),
             "every decrypted message is a JSON object with a string format and an object content") {
  const CompleteExchange exchange = complete_exchange(ctx);
  for (const auto& plaintext : open_all(ctx, exchange.share.secret, uploaded_payloads(ctx.exchanges()))) {
    const auto info = nlohmann::json::parse(plaintext, nullptr, false);
    ctx.check(info.is_object() && info.contains("format") && info["format"].is_string() && info.contains("content") &&
                  info["content"].is_object(),
              "a decrypted message is not {\"format\": string, \"content\": object}");
  }
}

TIGRESS_CASE(kClient, "client/7/unknown-members-tolerated", "7", kMessageFormat, kShould, ({"MBX-PI-02"}),
             "Provisioning Information with an unknown top-level member is received intact") {
  const Share share = ctx.must_share(ShareOptions{"", "", "", true});
  ctx.must_receive(share);
}

TIGRESS_CASE(kClient, "client/7.2/updates-use-the-share-secret", "7.2", kConfidentiality, kMust,
             ({"MBX-ENC-08", "MBX-ENC-04"}),
             "every Update of the initiator opens with the one secret of the share URL") {
  const Share share = ctx.must_share();
  std::vector<std::string> sent;
  for (int i = 0; i < 2; ++i) {
    std::string text, marker;
    ctx.must(ctx.send(share.state, text, marker), "send (initiator)");
    sent.push_back(text);
  }
  std::vector<UploadedPayload> uploads;
  for (const auto& upload : uploaded_payloads(ctx.exchanges())) {
    if (upload.operation == Operation::kUpdate) uploads.push_back(upload);
  }
  if (uploads.size() != sent.size()) ctx.abort_fail(std::to_string(uploads.size()) + " Update payloads for 2 sends");
  const auto plaintexts = open_all(ctx, share.secret, uploads);
  for (std::size_t i = 0; i < plaintexts.size() && plaintexts.size() == sent.size(); ++i) {
    ctx.check(same_json(plaintexts[i], sent[i]),
              "Update " + std::to_string(i + 1) + " decrypts to something else than was sent");
  }
}

TIGRESS_CASE(kClient, "client/7.2/recipient-reply-encrypted", "7.2", kConfidentiality, kMust,
             ({"MBX-ENC-08", "MBX-ENC-07"}),
             "the recipient's reply opens with the share secret and the initiator reads it back intact") {
  const CompleteExchange exchange = complete_exchange(ctx);
  std::vector<UploadedPayload> replies;
  for (const auto& upload : uploaded_payloads(ctx.exchanges())) {
    if (upload.operation == Operation::kUpdate) replies.push_back(upload);
  }
  if (replies.empty()) ctx.abort_fail("no Update payload recorded");
  open_all(ctx, exchange.share.secret, replies);
}

TIGRESS_CASE(kClient, "client/7.2/payload-not-plaintext", "7.2", kConfidentiality, kMust, ({"MBX-ENC-07", "TM-09"}),
             "neither the request bodies nor the decoded payload.data contain the plaintext, and data is not JSON") {
  const Share share = ctx.must_share();
  for (const auto& request : ctx.exchanges()) {
    ctx.check(request.raw.find(share.marker) == std::string::npos, "a request carries the plaintext in the clear");
  }
  for (const auto& upload : uploaded_payloads(ctx.exchanges())) {
    if (!upload.data) continue;
    const std::string decoded(upload.data->begin(), upload.data->end());
    ctx.check(decoded.find(share.marker) == std::string::npos, "payload.data decodes to the plaintext itself");
    ctx.check(nlohmann::json::parse(decoded, nullptr, false).is_discarded(), "payload.data decodes to JSON text");
  }
}

}  // namespace
}  // namespace tigress::conformance::client_suite
