// Provisioning Information vectors (draft section 7, 7.1): the JSON object inside every sealed
// payload, {"format": "<external format>", "content": {...}}.
#include "vectors/tool/generators.hpp"

namespace tigress::vectors {

Result<std::vector<GeneratedFile>> generate_provisioning_vectors() {
  VectorFile file("Provisioning Information (draft-vinokurov-tigress-http-00 section 7.1)",
                  "provisioning_test_schema_v1.json",
                  {"The plaintext of a sealed payload: a JSON object with 'format' (a non-empty string naming an "
                   "external format) and 'content' (an object).",
                   "Valid: parses, and 'format' equals expectedFormat. Invalid: refused. Unknown top-level members are "
                   "tolerated (section 7)."},
                  "Results decided from section 7.1 and RFC 8259; tigress-vectors verify runs the reference "
                  "Provisioning Information parser.");
  file.note("Typical", "FUNCTIONALITY", "A well-formed envelope.");
  file.note("Extension", "FUNCTIONALITY", "An unknown top-level member, which readers keep or ignore.");
  file.note("NotJson", "MALFORMED_INPUT", "Not a JSON text, or a JSON text that is not an object.");
  file.note("MissingMember", "MALFORMED_INPUT", "'format' or 'content' is absent.");
  file.note("WrongType", "MALFORMED_INPUT",
            "'format' is not a non-empty string or 'content' is not an object (null included).");
  file.note("DuplicateMember", "EDGE_CASE",
            "A member name repeated: RFC 8259 section 4 makes the outcome unpredictable, so readers may refuse; one "
            "that accepts must not let two readers see different formats.");
  file.note(
      "ByteOrderMark", "EDGE_CASE",
      "A UTF-8 byte-order mark before the object: RFC 8259 section 8.1 forbids adding one but lets parsers ignore it.");
  file.note("TrailingData", "MALFORMED_INPUT",
            "Text after the JSON object other than whitespace: not a JSON text (RFC 8259 section 2).");
  OJson params;
  params["type"] = "ProvisioningTest";
  const std::size_t g = file.group(params);
  auto add = [&](const std::string& comment, const std::string& flag, const std::string& value,
                 const std::string& format) {
    OJson t = file.test(comment, {flag});
    t["value"] = value;
    if (!format.empty()) t["expectedFormat"] = format;
    t["result"] = format.empty() ? "invalid" : "valid";
    file.add_test(g, std::move(t));
  };
  add("car key", "Typical", R"({"format":"digitalwallet.carkey.ccc","content":{"vehicleId":"WVW0001","keySlot":2}})",
      "digitalwallet.carkey.ccc");
  add("empty content", "Typical", R"({"format":"digitalwallet.homekey","content":{}})", "digitalwallet.homekey");
  add("members in the other order, whitespace", "Typical",
      "{\n  \"content\": {\"a\": [1, 2, 3]},\n  \"format\": \"x\"\n}", "x");
  add("non-ASCII format", "Typical",
      "{\"format\":\"schl\xc3\xbc"
      "ssel\",\"content\":{\"n\":null}}",
      "schl\xc3\xbc"
      "ssel");
  add("unknown top-level member", "Extension", R"({"format":"digitalwallet.carkey.ccc","content":{},"version":2})",
      "digitalwallet.carkey.ccc");
  add("not JSON", "NotJson", "format=digitalwallet.carkey.ccc", "");
  add("empty text", "NotJson", "", "");
  add("array", "NotJson", R"([{"format":"x","content":{}}])", "");
  add("string", "NotJson", R"("digitalwallet.carkey.ccc")", "");
  add("null", "NotJson", "null", "");
  add("truncated object", "NotJson", R"({"format":"x","content":{})", "");
  add("format missing", "MissingMember", R"({"content":{}})", "");
  add("content missing", "MissingMember", R"({"format":"x"})", "");
  add("empty object", "MissingMember", "{}", "");
  add("format empty", "WrongType", R"({"format":"","content":{}})", "");
  add("format number", "WrongType", R"({"format":7,"content":{}})", "");
  add("format null", "WrongType", R"({"format":null,"content":{}})", "");
  add("content string", "WrongType", R"({"format":"x","content":"{}"})", "");
  add("content array", "WrongType", R"({"format":"x","content":[]})", "");
  add("content null", "WrongType", R"({"format":"x","content":null})", "");
  auto add_as = [&](const std::string& comment, const std::string& flag, const std::string& value,
                    const std::string& format, const std::string& result) {
    OJson t = file.test(comment, {flag});
    t["value"] = value;
    if (!format.empty()) t["expectedFormat"] = format;
    t["result"] = result;
    file.add_test(g, std::move(t));
  };
  add_as("format repeated with the same value", "DuplicateMember", R"({"format":"x","format":"x","content":{}})", "x",
         "acceptable");
  add_as("format repeated with different values: if accepted, which one wins is unpredictable, so no expectedFormat",
         "DuplicateMember", R"({"format":"digitalwallet.carkey.ccc","content":{},"format":"digitalwallet.homekey"})",
         "", "acceptable");
  add_as("content repeated", "DuplicateMember", R"({"format":"x","content":{"a":1},"content":{"a":2}})", "x",
         "acceptable");
  add_as("UTF-8 byte-order mark before the object", "ByteOrderMark",
         "\xef\xbb\xbf"
         R"({"format":"x","content":{}})",
         "x", "acceptable");
  add_as("trailing whitespace after the object: part of a JSON text", "Typical",
         "{\"format\":\"x\",\"content\":{}}\n \t", "x", "valid");
  add_as("trailing text after the object", "TrailingData", R"({"format":"x","content":{}} x)", "", "invalid");
  add_as("a second object after the first", "TrailingData", R"({"format":"x","content":{}}{"format":"y","content":{}})",
         "", "invalid");
  add_as("trailing NUL octet", "TrailingData", std::string(R"({"format":"x","content":{}})") + '\0', "", "invalid");
  auto doc = file.finish();
  if (!doc) return doc.error();
  return std::vector<GeneratedFile>{{"provisioning_test.json", std::move(*doc)}};
}

}  // namespace tigress::vectors
