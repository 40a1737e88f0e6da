// Fixtures for the report tests: a tiny catalogue built in code, a run whose target sent
// everything a hostile relay might (markup, CDATA terminators, NUL and ESC bytes, invalid UTF-8,
// megabytes of text), and checks written independently of the code under test: a SHA-256 through
// a different OpenSSL entry point, a UTF-8 validator and a small XML well-formedness checker.
#pragma once

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <unistd.h>

#include "conformance/framework/catalogue.hpp"
#include "conformance/framework/runner.hpp"
#include "conformance/reports/reports.hpp"

namespace tigress::conformance::test_support {

inline const std::string kScriptInjection = "</script><script>alert(1)</script>";
inline const std::string kCdataEnd = "]]>";
inline const std::string kControlBytes = std::string("nul:\0:esc:\x1b[31m:", 16);
inline const std::string kInvalidUtf8 = "bad:\xff\xfe\xc0\xaf\xed\xa0\x80:";
inline const std::string kImgInjection = "<img src=x onerror=alert(1)>";
inline const std::string kBidi =
    "\xe2\x80\xae"
    "gnp.exe";  // U+202E RIGHT-TO-LEFT OVERRIDE
inline constexpr std::size_t kHuge = 5 * 1024 * 1024;

inline std::string hostile_text() {
  return "relay said: " + kScriptInjection + "\n" + kCdataEnd + "\n" + kControlBytes + "\n" + kInvalidUtf8 + "\n" +
         kImgInjection + "\n" + kBidi + "\n\"quoted\" & 'single'";
}

inline Requirement requirement(std::string id, std::string section, Level level, std::string binds,
                               bool testable = true) {
  Requirement r;
  r.id = std::move(id);
  r.section = std::move(section);
  r.level = level;
  r.binds = std::move(binds);
  r.paraphrase = "paraphrase of " + r.id + " <b>not bold</b>";
  r.testable = testable;
  if (!testable) r.untestable_reason = "needs the relay's internals";
  return r;
}

// are exercised, R-3 is untestable, R-4 only by a skipped case, C-1 binds clients.
inline Catalogue tiny_catalogue() {
  Catalogue catalogue;
  catalogue.version = "test-1";
  catalogue.requirements = {
      requirement("R-1", "6.1.6", Level::kMust, "relay"), requirement("R-2", "6.5.4", Level::kShould, "relay"),
      requirement("R-3", "8.1.1", Level::kMust, "relay", false), requirement("R-4", "6.10", Level::kMust, "relay"),
      requirement("C-1", "7.2", Level::kMust, "client")};
  for (std::size_t i = 0; i < catalogue.requirements.size(); ++i) {
    catalogue.index[catalogue.requirements[i].id] = i;
  }
  return catalogue;
}

inline CaseResult result(std::string id, std::string section, Verdict verdict, std::vector<std::string> requirements,
                         std::string detail) {
  CaseResult r;
  r.id = std::move(id);
  r.title = "title of " + r.id;
  r.section = std::move(section);
  r.category = Category::kAntiReplay;
  r.level = Level::kMust;
  r.requirements = std::move(requirements);
  r.verdict = verdict;
  r.detail = std::move(detail);
  r.elapsed_ms = 12.5;
  return r;
}

// One case per verdict; listed out of section order on purpose.
inline RunSummary hostile_summary() {
  RunSummary summary;
  summary.results.push_back(result("6.5/second-reader", "6.5", Verdict::kFail, {"R-2"}, hostile_text()));
  summary.results.back().wire.push_back({"POST /v1/m HTTP/1.1\r\nHost: x\r\n\r\n" + kScriptInjection,
                                         "HTTP/1.1 200 OK\r\n\r\n" + std::string(kHuge, '<'), 3.25});
  summary.results.back().wire.push_back({hostile_text(), std::string(kHuge, '\0') + kCdataEnd, 1.0});
  summary.results.push_back(result("6.1/create", "6.1", Verdict::kPass, {"R-1", "R-1"}, ""));
  summary.results.back().wire.push_back({"GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\n{}", 1});
  summary.results.push_back(
      result("6.5/should", "6.5", Verdict::kWarn, {"R-1"}, "should have sent <b>Cache-Control</b>\n" + kCdataEnd));
  summary.results.push_back(
      result("6.10/skipped", "6.10", Verdict::kSkip, {"R-4"}, "not applicable: " + kImgInjection));
  summary.results.push_back(result("7.1/broken", "7.1", Verdict::kError, {"R-UNKNOWN"},
                                   std::string(kHuge, 'A') + kInvalidUtf8 + kScriptInjection));
  summary.pass = summary.fail = summary.warn = summary.skip = summary.error = 1;
  summary.started_at = "2024-01-02T03:04:05Z";
  summary.finished_at = "2024-01-02T03:04:09Z";
  summary.elapsed_ms = 4000;
  return summary;
}

inline RunMetadata metadata() {
  RunMetadata m;
  m.suite_version = "0.1.0";
  m.suite_commit = "0123456789abcdef0123456789abcdef01234567";
  m.catalogue_version = "test-1";
  m.command_line = "tigress-conform relay --target https://relay.example --seed 42 \xff";
  m.target = "https://relay.example/\"><script>alert(2)</script>";
  m.mode = "relay";
  m.seed = "18446744073709551615";
  m.strict = false;
  return m;
}

// A fresh directory for one test, removed afterwards. The process id keeps concurrent runs apart
// (ctest -j, or two build trees testing at once).
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name)
      : path_(std::filesystem::path(testing::TempDir()) /
              ("tigress-reports-" + std::to_string(::getpid()) + "-" + name)) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// SHA-256 through the streaming EVP API, not the one-shot call the bundle uses.
inline std::string independent_sha256(std::string_view bytes) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  const bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1 &&
                  EVP_DigestUpdate(ctx, bytes.data(), bytes.size()) == 1 &&
                  EVP_DigestFinal_ex(ctx, digest, &length) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) return "openssl-failed";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    char pair[3];
    std::snprintf(pair, sizeof pair, "%02x", digest[i]);
    hex += pair;
  }
  return hex;
}

// Decodes UTF-8 strictly; returns the code points, or false at the first bad sequence.
inline bool decode_utf8(std::string_view s, std::vector<std::uint32_t>& out) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    int n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    std::uint32_t cp = n == 1 ? b : b & (0x7F >> n);
    for (int k = 1; k < n; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c >> 6) != 2) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    out.push_back(cp);
    i += n;
  }
  return true;
}

inline bool xml_char(std::uint32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

// A small XML 1.0 well-formedness check (no DTDs): legal characters, balanced and properly
// nested elements with a single root, quoted attributes without '<', unique attribute names,
// and '&' only in the five predefined entities or character references. Returns "" when the
// document passes, else what is wrong and where.
inline std::string xml_problem(std::string_view xml) {
  std::vector<std::uint32_t> cps;
  if (!decode_utf8(xml, cps)) return "invalid UTF-8";
  for (std::uint32_t c : cps) {
    if (!xml_char(c)) return "character not allowed in XML: " + std::to_string(c);
  }
  const auto fail = [&](std::size_t at, const std::string& what) { return what + " at byte " + std::to_string(at); };
  const auto name_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':' || c == '-' || c == '.';
  };
  const auto entity_ok = [&](std::size_t at) {
    const std::size_t end = xml.find(';', at);
    if (end == std::string_view::npos || end - at > 12) return false;
    const std::string_view e = xml.substr(at + 1, end - at - 1);
    if (e == "amp" || e == "lt" || e == "gt" || e == "quot" || e == "apos") return true;
    if (e.size() >= 2 && e[0] == '#') {
      const bool hex = e[1] == 'x';
      const std::string_view digits = e.substr(hex ? 2 : 1);
      if (digits.empty()) return false;
      for (char c : digits) {
        const auto u = static_cast<unsigned char>(c);
        if (!(hex ? std::isxdigit(u) : std::isdigit(u))) return false;
      }
      return true;
    }
    return false;
  };
  std::vector<std::string> stack;
  int roots = 0;
  std::size_t i = 0;
  if (xml.substr(0, 5) == "<?xml") i = xml.find("?>") + 2;
  while (i < xml.size()) {
    const char c = xml[i];
    if (c != '<') {
      if (stack.empty() && !std::isspace(static_cast<unsigned char>(c))) {
        return fail(i, "text outside the root");
      }
      if (c == '&' && !entity_ok(i)) return fail(i, "bad entity");
      if (xml.substr(i, 3) == "]]>") return fail(i, "]]> in text");
      ++i;
      continue;
    }
    if (xml.substr(i, 4) == "<!--") {
      const std::size_t end = xml.find("-->", i);
      if (end == std::string_view::npos) return fail(i, "unterminated comment");
      i = end + 3;
      continue;
    }
    const bool closing = xml.substr(i, 2) == "</";
    std::size_t j = i + (closing ? 2 : 1);
    const std::size_t name_start = j;
    while (j < xml.size() && name_char(xml[j])) ++j;
    const std::string name(xml.substr(name_start, j - name_start));
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) {
      return fail(i, "bad tag name");
    }
    if (closing) {
      if (j >= xml.size() || xml[j] != '>') return fail(j, "bad end tag");
      if (stack.empty() || stack.back() != name) return fail(i, "mismatched </" + name + ">");
      stack.pop_back();
      i = j + 1;
      continue;
    }
    std::set<std::string> attributes;
    while (true) {
      while (j < xml.size() && std::isspace(static_cast<unsigned char>(xml[j]))) ++j;
      if (j >= xml.size()) return fail(j, "unterminated tag");
      if (xml.substr(j, 2) == "/>" || xml[j] == '>') break;
      const std::size_t attr_start = j;
      while (j < xml.size() && name_char(xml[j])) ++j;
      const std::string attr(xml.substr(attr_start, j - attr_start));
      if (attr.empty() || !attributes.insert(attr).second) return fail(j, "bad attribute");
      if (j + 1 >= xml.size() || xml[j] != '=' || (xml[j + 1] != '"' && xml[j + 1] != '\'')) {
        return fail(j, "attribute without quoted value");
      }
      const char quote = xml[j + 1];
      const std::size_t end = xml.find(quote, j + 2);
      if (end == std::string_view::npos) return fail(j, "unterminated attribute");
      for (std::size_t k = j + 2; k < end; ++k) {
        if (xml[k] == '<') return fail(k, "'<' in attribute value");
        if (xml[k] == '&' && !entity_ok(k)) return fail(k, "bad entity in attribute");
      }
      j = end + 1;
    }
    const bool empty = xml[j] == '/';
    if (stack.empty() && ++roots > 1) return fail(i, "second root element");
    if (!empty) stack.push_back(name);
    i = j + (empty ? 2 : 1);
  }
  if (!stack.empty()) return "unclosed <" + stack.back() + ">";
  if (roots != 1) return "no root element";
  return {};
}

// Case-insensitive search, for markup a browser would accept in any case.
inline bool contains_nocase(std::string_view haystack, std::string_view needle) {
  std::string h(haystack), n(needle);
  for (char& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return h.find(n) != std::string::npos;
}

}  // namespace tigress::conformance::test_support
