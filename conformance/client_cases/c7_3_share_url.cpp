// Client cases for draft section 7.3 (the share URL the initiator hands out).
#include <regex>

#include <nlohmann/json.hpp>

#include "conformance/client_cases/case_support.hpp"
#include "conformance/client_cases/loopback_listener.hpp"
#include "harness/adversary/tricks.hpp"
#include "reference/codec/base64.hpp"
#include "reference/crypto/aead.hpp"

namespace tigress::conformance::client_suite {
namespace {

const char* const kUuid = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

// The urlLink of the (last) successful Create.
std::string url_link(ClientCaseContext& ctx) {
  std::string link;
  for (const auto& request : requests_of(ctx.exchanges(), Operation::kCreate)) {
    const auto body = nlohmann::json::parse(request.response_body, nullptr, false);
    if (body.is_object() && body.contains("urlLink") && body["urlLink"].is_string())
      link = body["urlLink"].get<std::string>();
  }
  if (link.empty()) ctx.abort_fail("no Create answered with a urlLink");
  return link;
}

TIGRESS_CASE(kClient, "client/7.3/share-url-shape", "7.3", kMessageFormat, kMust, ({"MBX-URL-01"}),
             "the share URL is https://HOST/v1/m/UUID[?v=a|h|c]#SECRET") {
  const Share share = ctx.must_share();
  const std::string host = ctx.relay().base_url().substr(std::string("https://").size());
  const std::regex shape("https://" + std::regex_replace(host, std::regex("\\."), "\\.") + "/v1/m/" + kUuid +
                         "(\\?v=[ahc])?#[A-Za-z0-9+/_=-]+");
  ctx.check(std::regex_match(share.url, shape), "the share URL does not match https://HOST/v1/m/UUID[?v=x]#SECRET");
}

TIGRESS_CASE(kClient, "client/7.3/share-url-extends-url-link", "7.3", kMessageFormat, kMust,
             ({"MBX-CLI-01", "MBX-URL-01"}),
             "the share URL is the relay's urlLink plus the optional ?v= and the #secret") {
  const Share share = ctx.must_share();
  const std::string link = url_link(ctx);
  ctx.check(share.url.rfind(link, 0) == 0 && share.url.size() > link.size() &&
                (share.url[link.size()] == '#' || share.url[link.size()] == '?'),
            "the share URL does not start with the urlLink the relay returned");
}

TIGRESS_CASE(kClient, "client/7.3.1/vertical-values", "7.3.1", kMessageFormat, kMay, ({"MBX-URL-02"}),
             "--vertical a, h and c give ?v=a, ?v=h, ?v=c; no vertical gives no query") {
  for (const char* vertical : {"a", "h", "c"}) {
    const Share share = ctx.share(ShareOptions{"", vertical, "", false});
    if (share.run.unsupported()) ctx.skip("the client does not support --vertical (MAY)");
    ctx.must(share.run, std::string("share --vertical ") + vertical);
    ctx.check(share.url.find(std::string("?v=") + vertical + "#") != std::string::npos,
              std::string("--vertical ") + vertical + " is not ?v=" + vertical + " in the share URL");
  }
  const Share plain = ctx.must_share();
  ctx.check(plain.url.find('?') == std::string::npos, "a share without vertical carries a query");
}

TIGRESS_CASE(kClient, "client/7.3/secret-only-in-fragment", "7.3", kConfidentiality, kMust, ({"MBX-URL-04"}),
             "the secret appears in the share URL only after '#', in no spelling before it") {
  const Share share = ctx.must_share(ShareOptions{"", "h", "", false});
  const std::string before = share.url.substr(0, share.url.find('#'));
  if (auto found = find_spelling(before, secret_spellings(share.secret))) {
    ctx.check(false, "the secret appears before the fragment as " + *found);
  }
}

TIGRESS_CASE(kClient, "client/7.3/secret-encoding-and-length", "7.3", kMessageFormat, kMust,
             ({"MBX-ENC-06", "MBX-URL-01"}),
             "the fragment is base64 of exactly the key size of the declared payload.type") {
  const Share share = ctx.must_share();
  const auto uploads = uploaded_payloads(ctx.exchanges());
  if (uploads.empty()) ctx.abort_fail("no Create payload recorded");
  const auto algorithm = crypto::algorithm_from_name(uploads.front().type);
  if (!algorithm) ctx.abort_fail("payload.type \"" + uploads.front().type + "\" is not an AEAD_AES_*_GCM name");
  ctx.check(share.secret.size() == crypto::key_size(*algorithm),
            "the fragment decodes to " + std::to_string(share.secret.size()) + " bytes for " + uploads.front().type);
  // AMB-45: initiators emit standard padded base64 (strict); unpadded base64url is lenient.
  const std::string fragment = share.url.substr(share.url.find('#') + 1);
  if (!codec::base64_decode(fragment).ok()) {
    ctx.warn("the share URL's secret is not standard padded base64 (AMB-45 lenient: base64url or unpadded)");
  }
}

TIGRESS_CASE(kClient, "client/7.3/share-url-uses-url-link-origin", "7.3", kMessageFormat, kMust,
             ({"MBX-CLI-01", "MBX-URL-01"}),
             "a relay whose urlLink names another origin than --relay: the share URL is built on the urlLink") {
  ctx.arm("url-link-other-origin");
  const Share share = ctx.must_share();
  if (!misbehaviour_applied(ctx.exchanges(), "url-link-other-origin"))
    ctx.abort_fail("share made no Create answered 200");
  // The records keep the relay core's answer; the client saw it on the other name.
  std::string link = url_link(ctx);
  const std::string own = ctx.relay().base_url();
  if (link.rfind(own, 0) == 0) {
    link = "https://" + std::string(harness::adversary::kOtherOriginHost) + own.substr(own.rfind(':')) +
           link.substr(own.size());
  }
  ctx.check(
      share.url.rfind(link, 0) == 0 && share.url.size() > link.size() &&
          (share.url[link.size()] == '#' || share.url[link.size()] == '?'),
      "the share URL does not start with the urlLink " + link + " (0.4, AMB-20: the relay's answer, not --relay)");
}

TIGRESS_CASE(kClient, "client/7.3/http-share-url-refused", "7.3", kConfidentiality, kMust,
             ({"MBX-URL-01", "MBX-CLI-02"}), "a share URL with http:// is refused without any connection to its host") {
  const Share share = ctx.must_share();
  // A listening socket nobody serves: the kernel completes any TCP connection to it, so one
  // accept() after the run tells whether the client connected at all.
  auto listener = LoopbackListener::open();
  if (!listener) ctx.abort_error("cannot listen on 127.0.0.1: " + listener.error().message());
  std::string url = share.url;
  const auto path = url.find("/v1/m/");
  if (path == std::string::npos) ctx.abort_fail("the share URL has no /v1/m/ path (MBX-URL-01)");
  url = "http://127.0.0.1:" + std::to_string((*listener)->port()) + url.substr(path);
  Share cleartext = share;
  cleartext.url = url;
  const ShimRun run = ctx.receive(cleartext, ctx.path("recipient.state"), ctx.path("received.json"));
  ctx.expect_rejected(run, share.marker, "receive of an http:// share URL");
  ctx.check(!(*listener)->was_connected(),
            "the client connected to the http:// share URL's host and port (4.2: HTTPS only)");
}

TIGRESS_CASE(kClient, "client/7.3.1/recipient-accepts-url-with-vertical", "7.3.1", kMessageFormat, kMust,
             ({"MBX-URL-03", "MBX-CLI-02"}), "a share URL with ?v=a is received like one without") {
  const Share share = ctx.must_share(ShareOptions{"", "a", "", false});
  ctx.must_receive(share);
}

}  // namespace
}  // namespace tigress::conformance::client_suite
