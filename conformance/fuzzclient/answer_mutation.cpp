// Answer mutation descriptors (answer_mutation.hpp): names, classes, the one-line description
// and the reproducer's JSON form. Drawing is in answer_mutation_draw.cpp, applying in
// answer_mutation_apply.cpp.
#include "conformance/fuzzclient/answer_mutation.hpp"

#include <algorithm>

#include "conformance/fuzzclient/answer_mutation_parts.hpp"

namespace tigress::fuzz::client {

namespace {
using namespace mutation_parts;
using Kind = AnswerMutationKind;
}  // namespace

const char* answer_mutation_class_name(AnswerMutationClass c) {
  static const char* const kNames[] = {"json-structure", "json-type", "size",     "header",
                                       "status",         "body",      "encoding", "aead"};
  return kNames[static_cast<std::size_t>(c)];
}

const char* answer_mutation_kind_name(AnswerMutationKind k) { return kKindNames[static_cast<std::size_t>(k)]; }

AnswerMutationClass class_of(AnswerMutationKind k) {
  switch (k) {
    case Kind::kRemoveMember:
    case Kind::kDuplicateMember:
    case Kind::kAddMember:
    case Kind::kReplaceRoot:
      return AnswerMutationClass::kJsonStructure;
    case Kind::kRetype:
      return AnswerMutationClass::kJsonType;
    case Kind::kHugeString:
    case Kind::kDeepNesting:
      return AnswerMutationClass::kSize;
    case Kind::kDropHeader:
    case Kind::kSetHeader:
    case Kind::kAddHeader:
      return AnswerMutationClass::kHeader;
    case Kind::kSetStatus:
      return AnswerMutationClass::kStatus;
    case Kind::kTruncate:
    case Kind::kPad:
      return AnswerMutationClass::kBody;
    case Kind::kEscapeStrings:
    case Kind::kByteOrderMark:
    case Kind::kInvalidUtf8:
    case Kind::kDataEncoding:
      return AnswerMutationClass::kEncoding;
    case Kind::kFlipBit:
    case Kind::kTruncateData:
    case Kind::kSetType:
      return AnswerMutationClass::kAead;
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
    if (!document[name].is_number_integer())
      return make_error(std::string("mutation \"") + name + "\" must be an integer");
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
