// Applying answer mutations (answer_mutation.hpp): each kind changes exactly what its descriptor
// names, on the fresh answer of a run or of a replay.
#include <cstdlib>
#include <optional>

#include "conformance/fuzzclient/answer_mutation.hpp"
#include "conformance/fuzzclient/answer_mutation_parts.hpp"
#include "conformance/netfuzz/json_mutation.hpp"
#include "reference/codec/base64.hpp"

namespace tigress::fuzz::client {
namespace {

using namespace mutation_parts;
using Kind = AnswerMutationKind;

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
    if (m.where == "ciphertext")
      start = kIv, length = bytes.size() - kIv - kTag;
    else if (m.where == "tag")
      start = bytes.size() - kTag, length = kTag;
    else if (m.where != "iv")
      return false;
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
      if (parent.is_object())
        parent.erase(at.back());
      else if (parent.is_array())
        parent.erase(static_cast<std::size_t>(std::strtoul(at.back().c_str(), nullptr, 10)));
      else
        return false;
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

}  // namespace

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

}  // namespace tigress::fuzz::client
