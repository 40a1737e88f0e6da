// Cross-check of share_url_test.json with libcurl's URL API (curl_url, Debian
// libcurl4-openssl-dev), no code of ours, for the parts both define (section 7.3, RFC 3986):
// scheme, userinfo, host, port, path, query and fragment. curl decides the generic syntax; the
// share URL's own rules (the /v{N}/m/{uuid} path, the ?v= values, the secret's base64) are not
// curl's, so a vector refused only by them is out of the comparison. Where curl accepts a URL
// our strict reading refuses, the vector carries the flag LenientUrlParser (and only then), and
// vectors/README.md lists the difference; any other disagreement fails. IPv6 hosts are compared
// as addresses: curl keeps the input's spelling, the vectors give the canonical one (IpLiteral).
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "committed_vectors.hpp"

namespace tigress::vectors::crosscheck::share_url_curl {
namespace {

using nlohmann::json;

// Refusals by share-URL rules curl has no notion of.
const std::vector<std::string> kNotCurlsRule = {"BadPath", "BadMailboxId", "BadQuery", "BadSecret"};
// The flag of the vectors our strict reading refuses and curl accepts (README, Cross-checks).
constexpr const char* kLenientFlag = "LenientUrlParser";

struct CurlParts {
  std::string scheme, host, port, path, query, fragment;
  bool has_userinfo = false, has_port = false, has_query = false, has_fragment = false;
};

std::optional<std::string> get_part(CURLU* url, CURLUPart part, unsigned int flags = 0) {
  char* value = nullptr;
  if (curl_url_get(url, part, &value, flags) != CURLUE_OK) return std::nullopt;
  std::string out(value);
  curl_free(value);
  return out;
}

std::optional<CurlParts> curl_parse(const std::string& text) {
  CURLU* url = curl_url();
  std::optional<CurlParts> parts;
  if (curl_url_set(url, CURLUPART_URL, text.c_str(), 0) == CURLUE_OK) {
    CurlParts p;
    p.scheme = get_part(url, CURLUPART_SCHEME).value_or("");
    p.host = get_part(url, CURLUPART_HOST).value_or("");
    p.path = get_part(url, CURLUPART_PATH).value_or("");
    p.has_userinfo = get_part(url, CURLUPART_USER).has_value() || get_part(url, CURLUPART_PASSWORD).has_value();
    if (auto port = get_part(url, CURLUPART_PORT)) p.has_port = true, p.port = *port;
    if (auto query = get_part(url, CURLUPART_QUERY)) p.has_query = true, p.query = *query;
    if (auto fragment = get_part(url, CURLUPART_FRAGMENT, CURLU_URLDECODE))
      p.has_fragment = true, p.fragment = *fragment;
    parts = p;
  }
  curl_url_cleanup(url);
  return parts;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// The secret's octets as hex, from curl's decoded fragment: base64 or base64url, padded or not
// (AMB-45), decoded by OpenSSL's EVP after mapping the URL-safe alphabet onto the standard one.
std::optional<std::string> secret_hex(std::string fragment) {
  for (char& c : fragment) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (fragment.size() % 4 != 0) fragment += '=';
  std::vector<unsigned char> out(fragment.size());
  const int written = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(fragment.data()),
                                      static_cast<int>(fragment.size()));
  if (written < 0) return std::nullopt;
  std::size_t size = static_cast<std::size_t>(written);
  for (std::size_t i = fragment.size(); i > 0 && fragment[i - 1] == '='; --i) --size;
  return to_hex(out.data(), size);
}

// Whether curl's parts are those of a share URL at all (https, no userinfo): what curl decides.
bool curl_reads_share_url(const std::optional<CurlParts>& parts) {
  return parts && lower(parts->scheme) == "https" && !parts->has_userinfo && !parts->host.empty();
}

// Hosts compare case-insensitively (DNS names), bracketed IPv6 literals as addresses (libc's
// inet_pton), since curl keeps an IPv6 literal as written.
bool same_host(const std::string& curl_host, const std::string& expected) {
  if (curl_host.size() > 2 && curl_host.front() == '[' && expected.size() > 2 && expected.front() == '[') {
    unsigned char a[16], b[16];
    const std::string x = curl_host.substr(1, curl_host.size() - 2), y = expected.substr(1, expected.size() - 2);
    return inet_pton(AF_INET6, x.c_str(), a) == 1 && inet_pton(AF_INET6, y.c_str(), b) == 1 && std::equal(a, a + 16, b);
  }
  return lower(curl_host) == lower(expected);
}

// curl's parts against a vector's expected values; nothing when they agree.
std::optional<std::string> parts_differ(const CurlParts& parts, const json& expected) {
  if (!same_host(parts.host, expected.value("host", ""))) return "host: curl " + parts.host;
  const std::string port = expected["port"].is_null() ? "" : std::to_string(expected["port"].get<int>());
  if (parts.has_port ? parts.port != port : !port.empty()) return "port: curl " + parts.port;
  const std::string path =
      "/v" + std::to_string(expected["apiVersion"].get<int>()) + "/m/" + expected.value("mailboxId", "");
  if (lower(parts.path) != path) return "path: curl " + parts.path;
  const std::string query = expected["vertical"].is_null() ? "" : "v=" + expected["vertical"].get<std::string>();
  if (parts.has_query ? parts.query != query : !query.empty()) return "query: curl " + parts.query;
  if (parts.has_fragment != !expected["secret"].is_null()) return "fragment presence differs";
  if (parts.has_fragment && secret_hex(parts.fragment) != expected["secret"].get<std::string>())
    return "secret differs";
  return std::nullopt;
}

struct Outcome {
  std::optional<std::string> failure;   // a disagreement no flag explains
  std::optional<std::string> recorded;  // a difference the vector's flags explain
};

Outcome compare(const json& test) {
  const auto parts = curl_parse(test.value("url", ""));
  const bool share_url = curl_reads_share_url(parts);
  const std::string result = test.value("result", "");
  const bool lenient = has_flag(test, kLenientFlag);
  if (lenient && !(result == "invalid" && share_url))
    return {kLenientFlag + std::string(", but curl does not accept it"), std::nullopt};
  if (result == "valid" || (result == "acceptable" && share_url)) {
    if (!share_url) return {"valid, but curl does not read it as an https URL without userinfo", std::nullopt};
    if (auto differs = parts_differ(*parts, test["expected"])) return {differs, std::nullopt};
    const std::string host = test["expected"].value("host", "");
    if (parts->host != host)
      return {std::nullopt, "host spelt " + parts->host + " by curl, " + host + " by the vector"};
    return {};
  }
  if (result == "acceptable") return {std::nullopt, "acceptable, curl refuses it"};
  if (result != "invalid") return {"result " + result + " is not used by this file", std::nullopt};
  if (!share_url) return {};
  if (has_any_flag(test, kNotCurlsRule)) return {};
  if (lenient)
    return {std::nullopt,
            "curl accepts host '" + parts->host + "' port '" + parts->port + "' path '" + parts->path + "'"};
  return {"invalid, but curl accepts it and no flag says why", std::nullopt};
}

TEST(ShareUrlCurlCrossCheck, EveryVectorAgreesWithCurlOnTheSharedParts) {
  const json doc = load_vector_file("share_url_test.json");
  ASSERT_TRUE(doc.is_object());
  int checked = 0;
  std::map<int, std::string> recorded;
  for (const auto& group : doc["testGroups"]) {
    for (const auto& test : group["tests"]) {
      const int id = test["tcId"].get<int>();
      SCOPED_TRACE("tcId " + std::to_string(id) + ": " + test.value("comment", ""));
      const Outcome outcome = compare(test);
      EXPECT_FALSE(outcome.failure) << *outcome.failure;
      if (outcome.recorded) recorded[id] = *outcome.recorded;
      ++checked;
    }
  }
  EXPECT_EQ(checked, doc["numberOfTests"].get<int>());
  std::cout << "share URLs: " << checked << " vectors, " << curl_version() << "; differences explained by flags:\n";
  for (const auto& [id, what] : recorded) std::cout << "  tcId " << id << ": " << what << '\n';
}

// The comparison must be able to fail: a valid vector flipped to invalid, a valid one with a
// changed host or with the leniency flag, and a lenient one without it are caught.
TEST(ShareUrlCurlCrossCheck, TamperedExpectationsAreCaught) {
  const json doc = load_vector_file("share_url_test.json");
  int tampered = 0;
  for (const auto& group : doc["testGroups"]) {
    for (const auto& test : group["tests"]) {
      if (has_flag(test, kLenientFlag)) {
        json unflagged = test;
        unflagged["flags"] = json::array({"BadHost"});
        EXPECT_TRUE(compare(unflagged).failure) << test["tcId"];
        ++tampered;
      }
      if (test["result"] != "valid") continue;
      SCOPED_TRACE("tcId " + std::to_string(test["tcId"].get<int>()));
      json flipped = test;
      flipped["result"] = "invalid";
      flipped["flags"] = json::array({"Typical"});
      EXPECT_TRUE(compare(flipped).failure);
      json other = test;
      other["expected"]["host"] = "other.example";
      EXPECT_TRUE(compare(other).failure);
      json flagged = test;
      flagged["flags"].push_back(kLenientFlag);
      EXPECT_TRUE(compare(flagged).failure);
      ++tampered;
    }
  }
  EXPECT_GT(tampered, 0);
}

}  // namespace
}  // namespace tigress::vectors::crosscheck::share_url_curl
