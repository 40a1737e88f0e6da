// The model's checks of response bodies. They look only at what the draft makes observable:
// urlLink and the push flag of a Create (6.1.6), payload, displayInformation and expiration of a
// Read (6.5.4), the preview page's type and that it never shows the payload (6.4, 8.1.3).
#include <cstdio>

#include <nlohmann/json.hpp>

#include "conformance/model/model.hpp"
#include "reference/codec/json_in_place.hpp"

namespace tigress::model {
namespace {

using nlohmann::json;

bool starts_with_ci(const std::string& text, const std::string& prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

std::optional<json> parse_object(const std::string& body) {
  json document = json::parse(body, nullptr, false);
  if (document.is_discarded() || !document.is_object()) return std::nullopt;
  return document;
}

// AMB-18/AMB-19: a member that is an object, or (lenient) a string holding that object's JSON,
// read in place (a target's answer may nest far deeper than a copy can recurse).
using codec::json_in_place::ObjectMember;

std::string string_member(const json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string("\x01<absent>");
}

bool is_uuid_text(const std::string& text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool hyphen = i == 8 || i == 13 || i == 18 || i == 23;
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (hyphen ? c != '-' : !hex) return false;
  }
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's civil-days algorithm,
// written out here so the model needs nothing from the reference library).
Seconds days_from_civil(Seconds y, unsigned m, unsigned d) {
  y -= m <= 2;
  const Seconds era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<Seconds>(doe) - 719468;
}

std::string quote(const std::string& text) { return "\"" + text.substr(0, 80) + "\""; }

bool is_base64_text(const std::string& text) {
  for (char c : text) {
    const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!letter && c != '+' && c != '/' && c != '=') return false;
  }
  return true;
}

}  // namespace

std::optional<Seconds> parse_expiration(const std::string& text) {
  // Fixed positions: "YYYY-MM-DDThh:mm:ss" then "Z" or "+hh:mm" / "-hh:mm".
  auto number = [&](std::size_t at, std::size_t width) -> int {
    int value = 0;
    for (std::size_t i = at; i < at + width; ++i) {
      if (i >= text.size() || text[i] < '0' || text[i] > '9') return -1;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  if (text.size() < 20) return std::nullopt;
  const char* separators = "--T::";
  const std::size_t positions[] = {4, 7, 10, 13, 16};
  for (int i = 0; i < 5; ++i) {
    if (text[positions[i]] != separators[i]) return std::nullopt;
  }
  const int year = number(0, 4), month = number(5, 2), day = number(8, 2);
  const int hour = number(11, 2), minute = number(14, 2), second = number(17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || second < 0 || second > 59) {
    return std::nullopt;
  }
  Seconds offset = 0;
  const std::string zone = text.substr(19);
  if (zone != "Z") {
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':') return std::nullopt;
    const int oh = number(20, 2), om = number(23, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return std::nullopt;
    offset = (zone[0] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
  }
  return days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 + hour * 3600 +
         minute * 60 + second - offset;
}

std::string format_utc(Seconds t) {
  Seconds days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  const Seconds rest = t - days * 86400;
  // Inverse of days_from_civil.
  days += 719468;
  const Seconds era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const Seconds y = static_cast<Seconds>(yoe) + era * 400 + (m <= 2);
  char out[96];  // room for any 64-bit year, which -Wformat-truncation insists on
  std::snprintf(out, sizeof out, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", static_cast<long long>(y), m, d,
                static_cast<long long>(rest / 3600), static_cast<long long>(rest / 60 % 60),
                static_cast<long long>(rest % 60));
  return out;
}

std::string RelayModel::created_link(const std::string& body) {
  auto document = parse_object(body);
  if (!document) return {};
  auto it = document->find("urlLink");
  return it != document->end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string RelayModel::check_created(const Response& response) const {
  if (!starts_with_ci(response.content_type, "application/json")) {
    return "MBX-CREATE-02: the Create answer is not application/json";
  }
  auto document = parse_object(response.body);
  if (!document) return "MBX-CREATE-03: the Create answer is not a JSON object";
  const std::string link = created_link(response.body);
  if (link.rfind("https://", 0) != 0 || link.find('#') != std::string::npos) {
    return "MBX-CREATE-03: urlLink " + quote(link) + " is not an absolute https URL without fragment (AMB-20, AMB-21)";
  }
  const std::string path = link.substr(0, link.find('?'));
  const std::string id = path.substr(path.rfind('/') + 1);
  if (path.find('/', 8) == std::string::npos || !is_uuid_text(id)) {
    return "MBX-CREATE-03: the last path segment of urlLink " + quote(link) + " is not a mailbox UUID";
  }
  auto push = document->find("isPushNotificationSupported");
  if (push == document->end() || !push->is_boolean()) {
    return "MBX-CREATE-04: isPushNotificationSupported is missing or not a JSON boolean";
  }
  for (const auto& other : mailboxes_) {
    if (other.id == id) return "MBX-ID-04: the relay handed out mailbox ID " + id + " twice";
  }
  return {};
}

std::string RelayModel::check_updated(const Response& response) const {
  auto document = parse_object(response.body);
  if (!starts_with_ci(response.content_type, "application/json") || !document) {
    return "MBX-UPDATE-03: the Update answer is not a JSON object";
  }
  auto push = document->find("isPushNotificationSupported");
  if (push == document->end() || !push->is_boolean()) {
    return "MBX-UPDATE-03: isPushNotificationSupported is missing or not a JSON boolean";
  }
  return {};
}

std::string RelayModel::check_repeat_link(const Response& response, const std::string& link) const {
  // AMB-03: the 201 may be empty or any JSON, but a urlLink in it is the original one.
  const std::string repeated = created_link(response.body);
  if (!repeated.empty() && repeated != link) {
    return "MBX-RID-07: the repeated Create's urlLink " + quote(repeated) + " differs from the first " + quote(link);
  }
  return {};
}

std::string RelayModel::check_read(const Mailbox& mailbox, const Response& response, const Request& request) const {
  if (!starts_with_ci(response.content_type, "application/json"))
    return "MBX-READ-01: the Read answer is not application/json";
  auto document = parse_object(response.body);
  if (!document) return "MBX-READ-02: the Read answer is not a JSON object";
  const ObjectMember payload(*document, "payload");
  if (!payload) return "MBX-READ-02: payload is missing or not an object (AMB-18)";
  if (mailbox.payload_known && (string_member(*payload, "type") != mailbox.payload.type ||
                                string_member(*payload, "data") != mailbox.payload.data)) {
    return "MBX-READ-02, MBX-ENC-05, MBX-UPDATE-02: payload is not the one stored at step " +
           std::to_string(mailbox.payload_step) + " (the last successful write)";
  }
  const ObjectMember display(*document, "displayInformation");
  if (!display) return "MBX-READ-02: displayInformation is missing or not an object (AMB-19)";
  if (mailbox.contents_known && (string_member(*display, "title") != mailbox.display.title ||
                                 string_member(*display, "description") != mailbox.display.description ||
                                 string_member(*display, "imageURL") != mailbox.display.image_url)) {
    return "MBX-READ-02: displayInformation differs from the one created (AMB-19, AMB-37)";
  }
  auto expiration = document->find("expiration");
  if (expiration == document->end() || !expiration->is_string()) return "MBX-READ-02: expiration is missing";
  auto when = parse_expiration(expiration->get<std::string>());
  if (!when) {
    return "MBX-EXP-03: expiration " + quote(expiration->get<std::string>()) +
           " is not an RFC 3339 UTC date-time (AMB-15)";
  }
  const Seconds skew = options_.clock_skew;
  if (*when + options_.expiry_grace + skew <= request.sent) {
    return "MBX-EXP-01: the mailbox is served although its expiration " + format_utc(*when) + " has passed";
  }
  if (mailbox.expiration_known) {
    if (*when != mailbox.expires_lo) {
      return "MBX-EXP-06, MBX-READ-03: expiration changed from " + format_utc(mailbox.expires_lo) + " to " +
             format_utc(*when);
    }
    return {};
  }
  if (mailbox.requested != 0 && *when > mailbox.requested + skew) {
    return "MBX-READ-03: expiration " + format_utc(*when) + " is later than the requested " +
           format_utc(mailbox.requested);
  }
  if (mailbox.expires_hi != kUnbounded && *when > mailbox.expires_hi + skew) {
    return "MBX-EXP-05, TM-02: expiration " + format_utc(*when) + " exceeds the maximum lifetime (--max-ttl " +
           std::to_string(options_.max_ttl.value_or(0)) + " s, AMB-14)";
  }
  if (*when < mailbox.expires_lo - skew) {
    return "MBX-READ-03: expiration " + format_utc(*when) + " is earlier than the requested " +
           (mailbox.requested ? format_utc(mailbox.requested) : std::string("default")) +
           " by more than any lifetime cap the model allows (min_lifetime " + std::to_string(options_.min_lifetime) +
           " s)";
  }
  return {};
}

void RelayModel::learn_expiration(Mailbox& mailbox, const Response& response) const {
  auto document = parse_object(response.body);
  if (!document) return;
  auto expiration = document->find("expiration");
  if (expiration == document->end() || !expiration->is_string()) return;
  if (auto when = parse_expiration(expiration->get<std::string>())) {
    mailbox.expires_lo = mailbox.expires_hi = *when;
    mailbox.expiration_known = true;
  }
}

std::string RelayModel::check_preview(const Mailbox&, const Response& response) const {
  if (!starts_with_ci(response.content_type, "text/html")) return "MBX-PREVIEW-01: the preview is not text/html";
  return {};  // that it shows no payload: check_not_leaking, for every answer
}

std::string RelayModel::check_not_leaking(const Response& response, const Request& request) const {
  // 6.4, 8.1.3: the stored payload leaves the relay only in a Read's success; an answer that
  // refuses the caller must not carry what it refused to hand over.
  if (request.op == Op::kCreate || (request.op == Op::kRead && is_2xx(response.status))) return {};
  if (request.slot < 0 || request.slot >= slot_count() || slots_[request.slot] < 0) return {};
  const Mailbox& mailbox = mailboxes_[slots_[request.slot]];
  const std::string& data = mailbox.payload.data;
  // Only base64 text (7.2) of some length is recognisable: a run of base64 characters in a page
  // cannot straddle markup, so finding it means the page shows it, and unless the display
  // information (which the preview shows) or the request itself carries it, it is the payload.
  if (!mailbox.payload_known || !mailbox.contents_known || data.size() < 16 || !is_base64_text(data) ||
      response.body.find(data) == std::string::npos || request.wire.find(data) != std::string::npos) {
    return {};
  }
  const Display& d = mailbox.display;
  for (const std::string* shown : {&d.title, &d.description, &d.image_url}) {
    if (shown->find(data) != std::string::npos) return {};
  }
  if (request.op == Op::kPreview && is_2xx(response.status))
    return "MBX-PREVIEW-04: the preview page contains payload.data";
  return "MBX-PRIV-02, MBX-BIND-02: the " + std::to_string(response.status) +
         " answer's body carries the mailbox's payload.data (8.1.3)";
}

std::string RelayModel::check_echo(const Response& response, const Request& request) const {
  // 5.1: the response repeats the request's Mailbox-Request-ID. AMB-05 lets errors go without it
  // (unless the strict reading is asked for), never a success; AMB-40 lets a relay refuse IDs
  // over its limit, and an HTTP front end's own refusals carry no API headers at all.
  if (request.request_id.empty() || response.request_id_echo == request.request_id) return {};
  if (!is_2xx(response.status)) {
    const auto& limit = options_.max_request_id_bytes;
    if (!options_.strict_echo || request.front_end_may_answer || protocol::is_front_end_limit(response.status) ||
        (limit && request.request_id.size() > *limit)) {
      return {};
    }
  }
  return "MBX-RID-03: the " + std::to_string(response.status) + " " +
         (response.request_id_echo ? "echoes Mailbox-Request-ID altered" : "does not echo Mailbox-Request-ID") +
         (is_2xx(response.status) ? " (AMB-05 lets errors go without it, never a success)"
                                  : " (AMB-05 strict: every answer of the mailbox API)");
}

}  // namespace tigress::model
