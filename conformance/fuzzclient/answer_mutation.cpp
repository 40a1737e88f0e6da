// Drawing and applying answer mutations (answer_mutation.hpp). Function arguments are evaluated
// in an unspecified order (g++ and clang differ): no call below takes two arguments that both
// draw from the generator, so a seed gives the same mutations whatever the compiler.
#include "conformance/fuzzclient/answer_mutation.hpp"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <vector>

#include "conformance/netfuzz/json_mutation.hpp"
#include "reference/codec/base64.hpp"

namespace tigress::fuzz::client {
namespace {

using Json = nlohmann::json;
using Kind = AnswerMutationKind;

constexpr std::size_t kIv = 12, kTag = 16;
// The later of two equal member names: sorts after every lower-case name nlohmann writes.
constexpr std::string_view kDuplicatePlaceholder = "~tigress-duplicate~";

const std::array<const char*, kAnswerMutationKindCount> kKindNames = {
    "remove-member", "duplicate-member", "add-member", "replace-root", "retype", "huge-string",
    "deep-nesting", "drop-header", "set-header", "add-header", "set-status", "truncate", "pad",
    "escape-strings", "byte-order-mark", "invalid-utf8", "data-encoding", "flip-bit", "truncate-data",
    "set-type"};

// Bytes a padding appends: whitespace (still the same JSON), NULs, a second document, garbage.
const std::array<std::string_view, 6> kPadding = {" ", "\n", std::string_view("\0", 1), "{}", "x", "\r\n\r\n"};
const std::array<std::string_view, 5> kInvalidUtf8 = {"\x80", "\xc0\xaf", "\xed\xa0\x80", "\xff", "\xf4\x90\x80\x80"};

Json parse(const std::string& body) { return Json::parse(body, nullptr, /*allow_exceptions=*/false); }

std::string dump(const Json& document) { return document.dump(-1, ' ', false, Json::error_handler_t::replace); }

// Pointers come from our own walk or from a reproducer; a malformed one names nothing.
std::optional<Json::json_pointer> pointer(const std::string& text) {
  if (!text.empty() && text[0] != '/') return std::nullopt;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '~' && (i + 1 >= text.size() || (text[i + 1] != '0' && text[i + 1] != '1'))) return std::nullopt;
  }
  return Json::json_pointer(text);
}

Json* node_at(Json& document, const std::string& where) {
  const auto at = pointer(where);
  return at && document.contains(*at) ? &document[*at] : nullptr;
}

bool is_payload_answer(const Json& document) {
  return document.is_object() && document.contains("payload") && document["payload"].is_object() &&
         document["payload"].contains("data") && document["payload"]["data"].is_string();
}

std::string escape_all_strings(const std::string& body) {
  std::string out;
  bool in_string = false;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (!in_string) {
      out += c;
      in_string = c == '"';
      continue;
    }
    if (c == '"') {
      out += c;
      in_string = false;
    } else if (c == '\\' && i + 1 < body.size()) {
      out += c;
      out += body[++i];  // an escape stays as it is
    } else if (static_cast<unsigned char>(c) < 0x80) {
      static const char* const kHex = "0123456789abcdef";
      out += "\\u00";
      out += kHex[(c >> 4) & 0xf];
      out += kHex[c & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

// A mutation of payload.data's bytes: IV[12] || ciphertext || tag[16] (draft 7.2).
bool rewrite_data(Json& document, const AnswerMutation& m) {
  if (!is_payload_answer(document)) return false;
  auto decoded = codec::base64_decode_lenient(document["payload"]["data"].get<std::string>());
  if (!decoded) return false;
  Bytes bytes = std::move(*decoded);
  if (m.kind == Kind::kTruncateData) {
    if (m.amount < 0 || static_cast<std::size_t>(m.amount) >= bytes.size()) return false;
    bytes.resize(static_cast<std::size_t>(m.amount));
  } else {
    if (bytes.size() < kIv + kTag) return false;
    std::size_t start = 0, length = kIv;
    if (m.where == "ciphertext") start = kIv, length = bytes.size() - kIv - kTag;
    else if (m.where == "tag") start = bytes.size() - kTag, length = kTag;
    else if (m.where != "iv") return false;
    if (length == 0 || m.amount < 0) return false;
    const std::size_t bit = static_cast<std::size_t>(m.amount) % (length * 8);
    bytes[start + bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
  }
  document["payload"]["data"] = codec::base64_encode(bytes);
  return true;
}

bool reencode_data(Json& document, const std::string& how) {
  if (!is_payload_answer(document)) return false;
  auto decoded = codec::base64_decode_lenient(document["payload"]["data"].get<std::string>());
  if (!decoded) return false;
  std::string text;
  if (how == "base64url") {
    text = codec::base64url_encode_unpadded(*decoded);
    const std::string padded = codec::base64_encode(*decoded);
    text.append(padded.size() - padded.find_last_not_of('=') - 1, '=');
  } else if (how == "unpadded") {
    text = codec::base64_encode(*decoded);
    text.erase(text.find_last_not_of('=') + 1);
  } else if (how == "wrapped" || how == "spaced") {
    const std::string plain = codec::base64_encode(*decoded);
    const std::string separator = how == "wrapped" ? "\r\n" : " ";
    for (std::size_t i = 0; i < plain.size(); i += 16) text += (i == 0 ? "" : separator) + plain.substr(i, 16);
  } else {
    return false;
  }
  if (text == document["payload"]["data"].get<std::string>()) return false;
  document["payload"]["data"] = text;
  return true;
}

bool apply_json(const AnswerMutation& m, relay::Response& answer) {
  Json document = parse(answer.body);
  if (document.is_discarded()) return false;
  if (m.kind == Kind::kReplaceRoot) {
    const Json root = parse(m.value);
    if (root.is_discarded()) return false;
    answer.body = dump(root);
    return true;
  }
  if (m.kind == Kind::kFlipBit || m.kind == Kind::kTruncateData) {
    if (!rewrite_data(document, m)) return false;
    answer.body = dump(document);
    return true;
  }
  if (m.kind == Kind::kDataEncoding) {
    if (!reencode_data(document, m.value)) return false;
    answer.body = dump(document);
    return true;
  }
  if (m.kind == Kind::kSetType) {
    if (!is_payload_answer(document) || document["payload"].value("type", Json()) == Json(m.value)) return false;
    document["payload"]["type"] = m.value;
    answer.body = dump(document);
    return true;
  }
  Json* node = node_at(document, m.where);
  if (node == nullptr) return false;
  const Json::json_pointer at = *pointer(m.where);
  switch (m.kind) {
    case Kind::kRemoveMember: {
      if (m.where.empty()) return false;
      Json& parent = document[at.parent_pointer()];
      if (parent.is_object()) parent.erase(at.back());
      else if (parent.is_array()) parent.erase(static_cast<std::size_t>(std::strtoul(at.back().c_str(), nullptr, 10)));
      else return false;
      answer.body = dump(document);
      return true;
    }
    case Kind::kDuplicateMember: {
      if (m.where.empty()) return false;
      Json& parent = document[at.parent_pointer()];
      const Json value = parse(m.value);
      if (!parent.is_object() || value.is_discarded()) return false;
      parent[std::string(kDuplicatePlaceholder)] = value;
      std::string text = dump(document);
      const std::string placeholder = "\"" + std::string(kDuplicatePlaceholder) + "\"";
      text.replace(text.find(placeholder), placeholder.size(), dump(Json(at.back())));
      answer.body = std::move(text);
      return true;
    }
    case Kind::kAddMember: {
      const Json value = parse(m.value);
      if (!node->is_object() || value.is_discarded() || node->value("x-fuzz", Json()) == value) return false;
      (*node)["x-fuzz"] = value;
      break;
    }
    case Kind::kRetype: {
      const Json value = parse(m.value);
      if (value.is_discarded() || value == *node) return false;
      *node = value;
      break;
    }
    case Kind::kHugeString:
      if (m.amount < 0 || m.amount > (16 << 20)) return false;
      *node = std::string(static_cast<std::size_t>(m.amount), 'A');
      break;
    case Kind::kDeepNesting: {
      if (m.amount < 1 || m.amount > 100000) return false;
      // Spliced in as text: the document library would nest as deep as asked, but its
      // serialiser recurses.
      const std::string marker = "\"~tigress-nesting~\"";
      *node = "~tigress-nesting~";
      std::string text = dump(document);
      text.replace(text.find(marker), marker.size(), nested(static_cast<std::size_t>(m.amount), m.value == "arrays"));
      answer.body = std::move(text);
      return true;
    }
    default:
      return false;
  }
  answer.body = dump(document);
  return true;
}

std::string draw_value_text(std::mt19937_64& rng) { return dump(random_typed_value(rng)); }

// Non-root pointers of the document, or of its string nodes only.
std::vector<Json::json_pointer> members(const Json& document, bool strings_only = false) {
  std::vector<Json::json_pointer> all;
  collect_pointers(document, all);
  std::vector<Json::json_pointer> out;
  for (const auto& p : all) {
    if (p.empty()) continue;
    if (strings_only && !document[p].is_string()) continue;
    out.push_back(p);
  }
  return out;
}

AnswerMutation draw_json_structure(const Json& document, std::mt19937_64& rng) {
  const auto nodes = members(document);
  AnswerMutation m;
  const auto choice = rng() % 5;
  if (nodes.empty() || choice == 4) {
    static const char* const kRoots[] = {"[]", "null", "\"x\"", "0", "{}", "[{}]"};
    m.kind = Kind::kReplaceRoot;
    m.value = pick(rng, kRoots);
    return m;
  }
  const Json::json_pointer& at = nodes[rng() % nodes.size()];
  m.where = at.to_string();
  if (choice == 0 || choice == 1) {
    m.kind = Kind::kRemoveMember;
  } else if (choice == 2) {
    m.kind = Kind::kDuplicateMember;
    m.value = chance(rng, 50) ? dump(document[at]) : draw_value_text(rng);
  } else {
    m.kind = Kind::kAddMember;
    m.where = document[at].is_object() ? m.where : at.parent_pointer().to_string();
    m.value = draw_value_text(rng);
  }
  return m;
}

AnswerMutation draw_json_type(const Json& document, std::mt19937_64& rng) {
  const auto nodes = members(document);
  AnswerMutation m;
  m.kind = Kind::kRetype;
  m.where = nodes.empty() ? "" : nodes[rng() % nodes.size()].to_string();
  m.value = draw_value_text(rng);
  return m;
}

AnswerMutation draw_size(const Json& document, std::mt19937_64& rng) {
  const auto nodes = members(document);
  AnswerMutation m;
  m.where = nodes.empty() ? "" : nodes[rng() % nodes.size()].to_string();
  if (chance(rng, 50)) {
    static const std::int64_t kLengths[] = {0, 4096, 65536, 1 << 20, (1 << 20) + 1, 3 << 20};
    m.kind = Kind::kHugeString;
    m.amount = pick(rng, kLengths);
  } else {
    static const std::int64_t kDepths[] = {64, 65, 600, 5000, 20000};
    m.kind = Kind::kDeepNesting;
    m.amount = pick(rng, kDepths);
    m.value = chance(rng, 50) ? "arrays" : "objects";
  }
  return m;
}

AnswerMutation draw_header(std::mt19937_64& rng) {
  AnswerMutation m;
  static const char* const kNames[] = {"Content-Type", "Mailbox-Request-ID", "Content-Type", "Mailbox-Request-ID",
                                       "Transfer-Encoding", "Content-Encoding", "X-Fuzz"};
  m.where = pick(rng, kNames);
  switch (rng() % 3) {
    case 0: m.kind = Kind::kDropHeader; break;
    case 1: m.kind = Kind::kSetHeader; break;
    default: m.kind = Kind::kAddHeader; break;
  }
  if (m.kind == Kind::kDropHeader) return m;
  if (m.where == "Content-Type") {
    static const char* const kTypes[] = {"text/plain", "application/json; charset=utf-16", "APPLICATION/JSON",
                                         "application/json;", "", "application/problem+json", "text/html"};
    m.value = pick(rng, kTypes);
  } else if (m.where == "Mailbox-Request-ID") {
    static const char* const kIds[] = {"", "00000000-0000-4000-8000-000000000000", "not-a-uuid",
                                       "\t00000000-0000-4000-8000-000000000000"};
    m.value = pick(rng, kIds);
  } else if (m.where == "Transfer-Encoding") {
    m.value = chance(rng, 50) ? "chunked" : "gzip";
  } else if (m.where == "Content-Encoding") {
    m.value = chance(rng, 50) ? "gzip" : "br";
  } else {
    m.value = std::string(static_cast<std::size_t>(1 + rng() % 8000), 'v');
  }
  return m;
}

AnswerMutation draw_status(std::mt19937_64& rng) {
  static const std::int64_t kStatuses[] = {200, 201, 202, 204, 206, 299, 301, 304, 307, 400, 401, 404, 409,
                                           410, 413, 429, 500, 503, 599, 600, 999};
  AnswerMutation m;
  m.kind = Kind::kSetStatus;
  m.amount = pick(rng, kStatuses);
  return m;
}

AnswerMutation draw_body(const relay::Response& answer, std::mt19937_64& rng) {
  AnswerMutation m;
  if (chance(rng, 50) && !answer.body.empty()) {
    m.kind = Kind::kTruncate;
    m.amount = static_cast<std::int64_t>(rng() % answer.body.size());
  } else {
    static const std::int64_t kRepeats[] = {1, 2, 100, 70000, 1 << 20};
    m.kind = Kind::kPad;
    m.amount = static_cast<std::int64_t>(rng() % kPadding.size());
    m.repeat = pick(rng, kRepeats);
  }
  return m;
}

AnswerMutation draw_encoding(const Json& document, std::mt19937_64& rng) {
  AnswerMutation m;
  switch (rng() % (is_payload_answer(document) ? 4 : 3)) {
    case 0: m.kind = Kind::kEscapeStrings; break;
    case 1: m.kind = Kind::kByteOrderMark; break;
    case 2:
      m.kind = Kind::kInvalidUtf8;
      m.amount = static_cast<std::int64_t>(rng() % kInvalidUtf8.size());
      break;
    default: {
      static const char* const kEncodings[] = {"base64url", "unpadded", "wrapped", "spaced"};
      m.kind = Kind::kDataEncoding;
      m.value = pick(rng, kEncodings);
      break;
    }
  }
  return m;
}

AnswerMutation draw_aead(std::mt19937_64& rng) {
  AnswerMutation m;
  switch (rng() % 5) {
    case 0:
    case 1: {
      static const char* const kParts[] = {"iv", "ciphertext", "tag"};
      m.kind = Kind::kFlipBit;
      m.where = pick(rng, kParts);
      m.amount = static_cast<std::int64_t>(rng() % 4096);
      break;
    }
    case 2: {
      static const std::int64_t kKept[] = {0, 11, 12, 27, 28, 29};
      m.kind = Kind::kTruncateData;
      m.amount = pick(rng, kKept);
      break;
    }
    default: {
      static const char* const kTypes[] = {"AEAD_AES_128_GCM", "AEAD_AES_256_GCM", "aead_aes_128_gcm",
                                           "AEAD_CHACHA20_POLY1305", "", "none", "AEAD_AES_128_GCM "};
      m.kind = Kind::kSetType;
      m.value = pick(rng, kTypes);
      break;
    }
  }
  return m;
}

}  // namespace

const char* answer_mutation_class_name(AnswerMutationClass c) {
  static const char* const kNames[] = {"json-structure", "json-type", "size", "header", "status", "body",
                                       "encoding", "aead"};
  return kNames[static_cast<std::size_t>(c)];
}

const char* answer_mutation_kind_name(AnswerMutationKind k) { return kKindNames[static_cast<std::size_t>(k)]; }

AnswerMutationClass class_of(AnswerMutationKind k) {
  switch (k) {
    case Kind::kRemoveMember:
    case Kind::kDuplicateMember:
    case Kind::kAddMember:
    case Kind::kReplaceRoot: return AnswerMutationClass::kJsonStructure;
    case Kind::kRetype: return AnswerMutationClass::kJsonType;
    case Kind::kHugeString:
    case Kind::kDeepNesting: return AnswerMutationClass::kSize;
    case Kind::kDropHeader:
    case Kind::kSetHeader:
    case Kind::kAddHeader: return AnswerMutationClass::kHeader;
    case Kind::kSetStatus: return AnswerMutationClass::kStatus;
    case Kind::kTruncate:
    case Kind::kPad: return AnswerMutationClass::kBody;
    case Kind::kEscapeStrings:
    case Kind::kByteOrderMark:
    case Kind::kInvalidUtf8:
    case Kind::kDataEncoding: return AnswerMutationClass::kEncoding;
    case Kind::kFlipBit:
    case Kind::kTruncateData:
    case Kind::kSetType: return AnswerMutationClass::kAead;
  }
  return AnswerMutationClass::kBody;
}

std::string describe(const AnswerMutation& m) {
  const auto cut = [](const std::string& text) {
    std::string out;
    for (char c : text.substr(0, 40)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
    return text.size() > 40 ? out + "..." : out;
  };
  std::string text = answer_mutation_kind_name(m.kind);
  if (!m.where.empty() || m.kind == Kind::kRetype || m.kind == Kind::kHugeString || m.kind == Kind::kDeepNesting) {
    text += " " + (m.where.empty() ? std::string("(root)") : cut(m.where));
  }
  if (!m.value.empty()) text += " = " + cut(m.value);
  if (m.kind == Kind::kHugeString || m.kind == Kind::kTruncate || m.kind == Kind::kTruncateData) {
    text += " (" + std::to_string(m.amount) + " bytes)";
  } else if (m.kind == Kind::kDeepNesting) {
    text += " (depth " + std::to_string(m.amount) + ")";
  } else if (m.kind == Kind::kSetStatus) {
    text += " " + std::to_string(m.amount);
  } else if (m.kind == Kind::kFlipBit) {
    text += " (bit " + std::to_string(m.amount) + ")";
  } else if (m.kind == Kind::kPad) {
    text += " (" + std::to_string(m.repeat) + " x table entry " + std::to_string(m.amount) + ")";
  }
  return text;
}

AnswerMutation draw_mutation(const relay::Response& answer, std::mt19937_64& rng) {
  const Json document = parse(answer.body);
  const bool json = !document.is_discarded();
  const bool payload = json && is_payload_answer(document);
  // Weights per class; a class the answer cannot take gets none.
  const std::array<int, kAnswerMutationClassCount> weights = {
      json ? 3 : 0, json ? 3 : 0, json ? 2 : 0, 2, 1, 2, json ? 2 : 0, payload ? 3 : 0};
  int total = 0;
  for (int w : weights) total += w;
  int roll = static_cast<int>(rng() % static_cast<std::uint64_t>(total));
  std::size_t chosen = 0;
  while (roll >= weights[chosen]) roll -= weights[chosen++];
  switch (static_cast<AnswerMutationClass>(chosen)) {
    case AnswerMutationClass::kJsonStructure: return draw_json_structure(document, rng);
    case AnswerMutationClass::kJsonType: return draw_json_type(document, rng);
    case AnswerMutationClass::kSize: return draw_size(document, rng);
    case AnswerMutationClass::kHeader: return draw_header(rng);
    case AnswerMutationClass::kStatus: return draw_status(rng);
    case AnswerMutationClass::kBody: return draw_body(answer, rng);
    case AnswerMutationClass::kEncoding: return draw_encoding(document, rng);
    case AnswerMutationClass::kAead: return draw_aead(rng);
  }
  return draw_status(rng);
}

bool apply_mutation(const AnswerMutation& m, relay::Response& answer) {
  switch (m.kind) {
    case Kind::kDropHeader: {
      const auto [first, last] = answer.headers.equal_range(m.where);
      if (first == last) return false;
      answer.headers.erase(first, last);
      return true;
    }
    case Kind::kSetHeader:
      if (answer.headers.count(m.where) == 1 && *answer.header(m.where) == m.value) return false;
      answer.headers.erase(m.where);
      answer.headers.emplace(m.where, m.value);
      return true;
    case Kind::kAddHeader:
      answer.headers.emplace(m.where, m.value);
      return true;
    case Kind::kSetStatus:
      if (m.amount < 100 || m.amount > 999 || m.amount == answer.status) return false;
      answer.status = static_cast<int>(m.amount);
      return true;
    case Kind::kTruncate:
      if (m.amount < 0 || static_cast<std::size_t>(m.amount) >= answer.body.size()) return false;
      answer.body.resize(static_cast<std::size_t>(m.amount));
      return true;
    case Kind::kPad: {
      if (m.amount < 0 || static_cast<std::size_t>(m.amount) >= kPadding.size() || m.repeat < 1 ||
          m.repeat > (4 << 20)) {
        return false;
      }
      const std::string_view pad = kPadding[static_cast<std::size_t>(m.amount)];
      for (std::int64_t i = 0; i < m.repeat; ++i) answer.body.append(pad);
      return true;
    }
    case Kind::kEscapeStrings: {
      std::string escaped = escape_all_strings(answer.body);
      if (escaped == answer.body) return false;
      answer.body = std::move(escaped);
      return true;
    }
    case Kind::kByteOrderMark:
      answer.body.insert(0, "\xef\xbb\xbf");
      return true;
    case Kind::kInvalidUtf8: {
      if (m.amount < 0 || static_cast<std::size_t>(m.amount) >= kInvalidUtf8.size()) return false;
      const auto quote = answer.body.find('"');
      if (quote == std::string::npos) return false;
      answer.body.insert(quote + 1, kInvalidUtf8[static_cast<std::size_t>(m.amount)]);
      return true;
    }
    default:
      return apply_json(m, answer);
  }
}

nlohmann::json to_json(const AnswerMutation& m) {
  Json out = {{"kind", answer_mutation_kind_name(m.kind)}, {"class", answer_mutation_class_name(class_of(m.kind))}};
  if (!m.where.empty()) out["where"] = m.where;
  if (!m.value.empty()) out["value"] = m.value;
  if (m.amount != 0) out["amount"] = m.amount;
  if (m.repeat != 1) out["repeat"] = m.repeat;
  return out;
}

Result<AnswerMutation> mutation_from_json(const nlohmann::json& document) {
  if (!document.is_object() || !document.contains("kind") || !document["kind"].is_string()) {
    return make_error("a mutation needs a string \"kind\"");
  }
  AnswerMutation m;
  const std::string kind = document["kind"].get<std::string>();
  const auto found = std::find(kKindNames.begin(), kKindNames.end(), kind);
  if (found == kKindNames.end()) return make_error("unknown mutation kind \"" + kind.substr(0, 40) + "\"");
  m.kind = static_cast<Kind>(found - kKindNames.begin());
  const auto text = [&](const char* name, std::string& into) -> Status {
    if (!document.contains(name)) return {};
    if (!document[name].is_string()) return make_error(std::string("mutation \"") + name + "\" must be a string");
    into = document[name].get<std::string>();
    return {};
  };
  const auto number = [&](const char* name, std::int64_t& into) -> Status {
    if (!document.contains(name)) return {};
    if (!document[name].is_number_integer()) return make_error(std::string("mutation \"") + name + "\" must be an integer");
    into = document[name].get<std::int64_t>();
    return {};
  };
  if (auto s = text("where", m.where); !s) return s.error();
  if (auto s = text("value", m.value); !s) return s.error();
  if (auto s = number("amount", m.amount); !s) return s.error();
  if (auto s = number("repeat", m.repeat); !s) return s.error();
  return m;
}

}  // namespace tigress::fuzz::client
