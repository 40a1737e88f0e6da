#include "reference/codec/json_in_place.hpp"

#include <utility>

namespace tigress::codec::json_in_place {

using nlohmann::json;

namespace {

bool structured(const json& value) { return value.is_object() || value.is_array(); }

}  // namespace

const json* member(const json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

ObjectMember::ObjectMember(const json& document, std::string_view name) {
  const json* found = member(document, name);
  if (found == nullptr) return;
  if (found->is_object()) {
    in_place_ = found;
  } else if (found->is_string()) {
    // nlohmann's own reading, not the quick one: the oracles that use this share no JSON reader
    // with the reference relay they judge.
    json parsed = json::parse(found->get_ref<const std::string&>(), nullptr, false);
    if (parsed.is_object()) parsed_ = std::move(parsed);
  }
}

bool equal(const json& a, const json& b) {
  std::vector<std::pair<const json*, const json*>> pending{{&a, &b}};
  while (!pending.empty()) {
    const auto [x, y] = pending.back();
    pending.pop_back();
    if (!structured(*x) && !structured(*y)) {
      if (!(*x == *y)) return false;  // scalars: nlohmann's own comparison, no recursion
      continue;
    }
    if (x->type() != y->type() || x->size() != y->size()) return false;
    // Objects iterate in key order on both sides, so members pair up by position.
    for (auto i = x->begin(), j = y->begin(); i != x->end(); ++i, ++j) {
      if (x->is_object() && i.key() != j.key()) return false;
      pending.emplace_back(&*i, &*j);
    }
  }
  return true;
}

bool nests_deeper_than(const json& value, std::size_t levels) {
  std::vector<std::pair<const json*, std::size_t>> pending{{&value, 1}};
  while (!pending.empty()) {
    const auto [node, depth] = pending.back();
    pending.pop_back();
    if (!structured(*node)) continue;
    if (depth > levels) return true;
    for (const auto& child : *node) pending.emplace_back(&child, depth + 1);
  }
  return false;
}

std::string dump_within_bound(const json& value, int indent, char indent_char, bool ensure_ascii,
                              json::error_handler_t error_handler) {
  if (nests_deeper_than(value, kMaxStructuredDepth))
    return "a value nested deeper than " + std::to_string(kMaxStructuredDepth) + " levels";
  return value.dump(indent, indent_char, ensure_ascii, error_handler);
}

}  // namespace tigress::codec::json_in_place
