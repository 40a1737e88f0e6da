// Small helpers shared by the case files of sections 4.3, 6.4, 6.5, 6.6, 8.1 and robustness:
// the outcomes the digest accepts for recurring situations, written once.
#pragma once

#include <algorithm>
#include <cctype>
#include <chrono>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "conformance/framework/case_context.hpp"
#include "reference/codec/json_in_place.hpp"
#include "reference/codec/timestamp.hpp"

namespace tigress::conformance::checks {

// A claim refused: 401 [S], 403 [L], as the catalogue's readings of AMB-25 say.
inline std::vector<int> refused(CaseContext& ctx) { return ctx.accepted_statuses("AMB-25"); }
// An expired or deleted mailbox: 404 [S], 410 [L], the readings of AMB-16 and AMB-17.
inline std::vector<int> gone(CaseContext& ctx) {
  std::vector<int> statuses = ctx.accepted_statuses("AMB-16");
  for (int status : ctx.accepted_statuses("AMB-17")) {
    if (std::find(statuses.begin(), statuses.end(), status) == statuses.end()) statuses.push_back(status);
  }
  return statuses;
}

inline bool is_server_error(int status) { return status >= 500 && status <= 599; }
inline bool is_success(int status) { return status >= 200 && status <= 299; }

// The media type of a response, lower case, without parameters ("" when absent).
inline std::string media_type(const harness::HttpResponse& response) {
  std::string value = response.header("Content-Type").value_or("");
  value = value.substr(0, value.find(';'));
  std::string out;
  for (char c : value) {
    if (c != ' ' && c != '\t') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

inline bool contains(std::string_view haystack, std::string_view needle) {
  return !needle.empty() && haystack.find(needle) != std::string_view::npos;
}

inline std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

inline bool contains_ci(std::string_view haystack, std::string_view needle) {
  return contains(lower(haystack), lower(needle));
}

// `got` equals `expected` as the object itself [S], or as a string holding its JSON [L]
// (AMB-18 for payload, AMB-19 for displayInformation). Sets *as_string when [L] was used.
inline bool same_json(const nlohmann::json& got, const nlohmann::json& expected, bool* as_string = nullptr) {
  if (got == expected) return true;
  if (!got.is_string()) return false;
  auto parsed = nlohmann::json::parse(got.get<std::string>(), nullptr, false);
  if (parsed.is_discarded() || parsed != expected) return false;
  if (as_string != nullptr) *as_string = true;
  return true;
}

// The member `name` is the same in both documents (both absent counts as the same), compared
// without recursion: both are a target's answers, and may nest as deep as their size allows.
inline bool same_member(const nlohmann::json& a, const nlohmann::json& b, std::string_view name) {
  static const nlohmann::json kAbsent;
  const nlohmann::json* in_a = codec::json_in_place::member(a, name);
  const nlohmann::json* in_b = codec::json_in_place::member(b, name);
  return codec::json_in_place::equal(in_a ? *in_a : kAbsent, in_b ? *in_b : kAbsent);
}

// Strict UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
inline bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    int extra = 0;
    unsigned code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF) {
      extra = 1;
      code = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      code = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      code = c & 0x07;
    } else
      return false;
    if (i + static_cast<std::size_t>(extra) >= text.size()) return false;
    for (int k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    if ((extra == 2 && (code < 0x800 || (code >= 0xD800 && code <= 0xDFFF))) ||
        (extra == 3 && (code < 0x10000 || code > 0x10FFFF))) {
      return false;
    }
    i += static_cast<std::size_t>(extra) + 1;
  }
  return true;
}

// The same mailbox path with a fresh random identifier in place of the real one: an unknown
// mailbox addressed exactly as the relay addresses its own (AMB-20).
inline MailboxRef unknown_like(CaseContext& ctx, const MailboxRef& like) {
  MailboxRef unknown = like;
  unknown.id = ctx.uuid();
  unknown.path = like.path.substr(0, like.path.rfind('/') + 1) + unknown.id;
  unknown.url_link.clear();
  return unknown;
}

// A mailbox from a CreateMailbox response the case sent itself (for creates whose outcome the
// case judges, where ctx.create_mailbox would end the case). Ends the case with ERROR when the
// response has no usable urlLink.
inline MailboxRef mailbox_from(CaseContext& ctx, const harness::HttpResponse& created, const std::string& initiator,
                               const nlohmann::json& body) {
  return ctx.mailbox_from(created, initiator, body);
}

// A request built by hand for the cases that need headers or bodies the endpoint helpers do
// not produce.
inline harness::HttpRequest request(std::string method, std::string target, harness::HeaderList headers = {},
                                    std::string body = "") {
  harness::HttpRequest out;
  out.method = std::move(method);
  out.target = std::move(target);
  out.headers = std::move(headers);
  out.body = std::move(body);
  return out;
}

inline nlohmann::json token(const std::string& data) { return {{"type", "com.apple.apns"}, {"tokenData", data}}; }

// The Read response's expiration in seconds, when it is a strict "YYYY-MM-DDThh:mm:ssZ" value.
inline std::optional<codec::UnixSeconds> read_expiration(const nlohmann::json& body) {
  if (!body.is_object() || !body.contains("expiration") || !body["expiration"].is_string()) return std::nullopt;
  auto parsed = codec::parse_timestamp_strict(body["expiration"].get<std::string>());
  if (!parsed) return std::nullopt;
  return *parsed;
}

inline void sleep_until_unix(codec::UnixSeconds when,
                             std::chrono::milliseconds margin = std::chrono::milliseconds(300)) {
  std::this_thread::sleep_until(std::chrono::system_clock::time_point(std::chrono::seconds(when)) + margin);
}

// Ends the case with a violation when the relay stopped answering a plain CreateMailbox.
inline void check_alive(CaseContext& ctx, const std::string& after) {
  auto probe = ctx.try_send(request(
      "POST", ctx.collection_path(),
      {{"Mailbox-Device-Claim", ctx.uuid()}, {"Mailbox-Request-ID", ctx.uuid()}, {"Content-Type", "application/json"}},
      ctx.create_body().dump()));
  if (!probe) ctx.abort_fail("the relay no longer answers after " + after + ": " + probe.error().message());
  ctx.check(probe->status == 200 || probe->status == 201,
            "liveness CreateMailbox after " + after + ": got " + std::to_string(probe->status));
}

}  // namespace tigress::conformance::checks
