// Response vectors (draft sections 6.1.6, 6.2.6, 6.5.4) for client authors: the bodies a relay
// may send and whether a strict client must accept them.
#include "vectors/tool/generators.hpp"

namespace tigress::vectors {

Result<std::vector<GeneratedFile>> generate_response_body_vectors() {
  VectorFile file(
      "response bodies (draft-vinokurov-tigress-http-00 sections 6.1.6, 6.2.6, 6.5.4)",
      "response_body_test_schema_v1.json",
      {"One group per response type. Valid: a client must accept the body; invalid: it must refuse it (and not use any "
       "of it); acceptable: a lenient reading of the catalogue (AMB entries) allows it, a strict client may refuse it.",
       "expected, when given, holds the values a client must extract."},
      "Results decided from the draft and the catalogue entries cited in the comments; tigress-vectors verify runs the "
      "reference codec and mailbox URL parser.");
  file.note("Typical", "FUNCTIONALITY", "A body as the draft describes it.");
  file.note("UnknownMember", "FUNCTIONALITY", "An extra member, ignored (AMB-59).");
  file.note("MissingField", "MALFORMED_INPUT", "A required member is absent.");
  file.note("WrongType", "MALFORMED_INPUT", "A member has the wrong JSON type.");
  file.note("NotJson", "MALFORMED_INPUT", "The body is not a JSON object.");
  file.note("BadTimestamp", "MALFORMED_INPUT", "expiration is not an RFC 3339 date-time.");
  file.note("LenientForm", "EDGE_CASE",
            "A form only the lenient reading allows: payload or displayInformation as string-encoded JSON (AMB-18, "
            "AMB-19), expiration with a numeric offset (AMB-15).");
  file.note("BadUrlLink", "MALFORMED_INPUT",
            "urlLink is a string but no usable mailbox URL: empty, not https, or with a fragment (MBX-CREATE-03, "
            "AMB-21: a fragment never).");
  file.note(
      "UrlLinkForm", "EDGE_CASE",
      "urlLink without the /v1/ segment, as the draft's example shows: only the lenient reading of AMB-20 accepts it.");
  const std::string payload = R"({"type":"AEAD_AES_256_GCM","data":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw="})";
  const std::string display =
      R"({"title":"Car Key","description":"A key to my car","imageURL":"https://example.com/car.png"})";
  const std::string link = "https://relay.example.com/v1/m/5b0c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4";

  auto make_group = [&](const std::string& response, const std::string& endpoint) {
    OJson params;
    params["type"] = "ResponseBodyTest";
    params["response"] = response;
    params["endpoint"] = endpoint;
    return file.group(params);
  };
  auto add = [&](std::size_t g, const std::string& comment, const std::string& flag, const std::string& body,
                 const std::string& result, OJson expected = nullptr) {
    OJson t = file.test(comment, {flag});
    t["body"] = body;
    if (!expected.is_null()) t["expected"] = std::move(expected);
    t["result"] = result;
    file.add_test(g, std::move(t));
  };

  const std::size_t create = make_group("CreateMailboxResponse", "CreateMailbox");
  auto create_expected = [&](bool push) {
    OJson e;
    e["urlLink"] = link;
    e["isPushNotificationSupported"] = push;
    return e;
  };
  add(create, "typical", "Typical", R"({"urlLink":")" + link + R"(","isPushNotificationSupported":false})", "valid",
      create_expected(false));
  add(create, "push supported", "Typical", R"({"isPushNotificationSupported":true,"urlLink":")" + link + R"("})",
      "valid", create_expected(true));
  add(create, "extra member", "UnknownMember",
      R"({"urlLink":")" + link + R"(","isPushNotificationSupported":false,"ttl":86400})", "valid",
      create_expected(false));
  add(create, "urlLink missing", "MissingField", R"({"isPushNotificationSupported":false})", "invalid");
  add(create, "isPushNotificationSupported missing", "MissingField", R"({"urlLink":")" + link + R"("})", "invalid");
  add(create, "urlLink empty: a string, but no URL", "BadUrlLink",
      R"({"urlLink":"","isPushNotificationSupported":false})", "invalid");
  add(create, "urlLink a number", "WrongType", R"({"urlLink":7,"isPushNotificationSupported":false})", "invalid");
  add(create, "push flag a string", "WrongType",
      R"({"urlLink":")" + link + R"(","isPushNotificationSupported":"false"})", "invalid");
  add(create, "push flag null", "WrongType", R"({"urlLink":")" + link + R"(","isPushNotificationSupported":null})",
      "invalid");
  add(create, "empty body", "NotJson", "", "invalid");
  add(create, "array", "NotJson", R"([")" + link + R"("])", "invalid");
  add(create, "HTML error page", "NotJson", "<html><body>502 Bad Gateway</body></html>", "invalid");
  const std::string id = link.substr(link.rfind('/') + 1);
  add(create,
      "urlLink with http://: every reading of MBX-CREATE-03 wants https (strict, and AMB-20 lenient: any absolute "
      "https URL)",
      "BadUrlLink", R"({"urlLink":"http://relay.example.com/v1/m/)" + id + R"(","isPushNotificationSupported":false})",
      "invalid");
  add(create, "urlLink with a fragment: the relay never knows a secret (AMB-21: a fragment never)", "BadUrlLink",
      R"({"urlLink":")" + link + R"(#c2VjcmV0","isPushNotificationSupported":false})", "invalid");
  {
    OJson e;
    e["urlLink"] = "https://relay.example.com/m/" + id;
    e["isPushNotificationSupported"] = false;
    add(create,
        "urlLink without /v1/ (the section 6.1.6 example's shape): strict refuses, the lenient reading of AMB-20 "
        "accepts",
        "UrlLinkForm", R"({"urlLink":"https://relay.example.com/m/)" + id + R"(","isPushNotificationSupported":false})",
        "acceptable", e);
  }

  const std::size_t update = make_group("UpdateMailboxResponse", "UpdateMailbox");
  OJson no_push;
  no_push["isPushNotificationSupported"] = false;
  add(update, "typical", "Typical", R"({"isPushNotificationSupported":false})", "valid", no_push);
  add(update, "extra member", "UnknownMember", R"({"isPushNotificationSupported":false,"x":[]})", "valid", no_push);
  add(update, "push flag missing", "MissingField", "{}", "invalid");
  add(update, "push flag a number", "WrongType", R"({"isPushNotificationSupported":0})", "invalid");
  add(update, "not JSON", "NotJson", "OK", "invalid");

  const std::size_t read = make_group("ReadSecureContentResponse", "ReadSecureContent");
  auto read_body = [&](const std::string& p, const std::string& d, const std::string& expiration) {
    std::string body = "{";
    if (!p.empty()) body += R"("payload":)" + p + ",";
    if (!d.empty()) body += R"("displayInformation":)" + d + ",";
    body += R"("expiration":)" + expiration + "}";
    return body;
  };
  OJson read_expected;
  read_expected["payload"] = OJson::parse(payload);
  read_expected["displayInformation"] = OJson::parse(display);
  read_expected["expirationUnixSeconds"] = 1900003600;
  add(read, "typical", "Typical", read_body(payload, display, R"("2030-03-17T18:46:40Z")"), "valid", read_expected);
  add(read, "extra member", "UnknownMember",
      read_body(payload, display, R"("2030-03-17T18:46:40Z","recipientBound":true)"), "valid", read_expected);
  add(read, "payload as string-encoded JSON", "LenientForm",
      read_body(OJson(payload).dump(), display, R"("2030-03-17T18:46:40Z")"), "acceptable", read_expected);
  add(read, "expiration with +00:00", "LenientForm", read_body(payload, display, R"("2030-03-17T18:46:40+00:00")"),
      "acceptable", read_expected);
  add(read, "displayInformation as string-encoded JSON (lenient reading of AMB-19)", "LenientForm",
      read_body(payload, OJson(display).dump(), R"("2030-03-17T18:46:40Z")"), "acceptable", read_expected);
  add(read, "expiration with offset +02:00: the same instant (AMB-15, lenient reading)", "LenientForm",
      read_body(payload, display, R"("2030-03-17T20:46:40+02:00")"), "acceptable", read_expected);
  add(read, "payload missing", "MissingField", read_body("", display, R"("2030-03-17T18:46:40Z")"), "invalid");
  add(read, "displayInformation missing", "MissingField", read_body(payload, "", R"("2030-03-17T18:46:40Z")"),
      "invalid");
  add(read, "expiration missing", "MissingField",
      "{\"payload\":" + payload + ",\"displayInformation\":" + display + "}", "invalid");
  add(read, "payload.data missing", "MissingField",
      read_body(R"({"type":"AEAD_AES_256_GCM"})", display, R"("2030-03-17T18:46:40Z")"), "invalid");
  add(read, "expiration a number", "WrongType", read_body(payload, display, "1900003600"), "invalid");
  add(read, "payload null", "WrongType", read_body("null", display, R"("2030-03-17T18:46:40Z")"), "invalid");
  add(read, "expiration month 13", "BadTimestamp", read_body(payload, display, R"("2030-13-17T18:46:40Z")"), "invalid");
  add(read, "expiration without zone", "BadTimestamp", read_body(payload, display, R"("2030-03-17T18:46:40")"),
      "invalid");
  add(read, "not JSON", "NotJson", "payload", "invalid");

  auto doc = file.finish();
  if (!doc) return doc.error();
  return std::vector<GeneratedFile>{{"response_body_test.json", std::move(*doc)}};
}

}  // namespace tigress::vectors
