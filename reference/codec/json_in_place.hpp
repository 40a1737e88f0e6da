// Reading a JSON document a target sent without recursing once per nesting level. nlohmann
// parses and destroys without recursion, but copies, compares and dumps recursively, and a
// target may nest a document as deep as its size allows (the wire client reads up to 1 MiB): a
// copy of a 400,000-deep member overflows any thread's stack. So the suite reads a target's
// members where they are (member, ObjectMember), compares and walks them with an explicit stack
// (equal, for_each_member), and dumps only what nests no deeper than kMaxStructuredDepth
// (dump_within_bound).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "reference/codec/plain_json.hpp"

namespace tigress::codec::json_in_place {

using plain_json::kMaxStructuredDepth;

// The member `name` of `object`, where it is; nullptr when `object` is not an object or has no
// such member.
const nlohmann::json* member(const nlohmann::json& object, std::string_view name);
const nlohmann::json* member(const nlohmann::json&& object, std::string_view name) = delete;  // would dangle

// A member that is an object, or (the lenient reading of AMB-18 and AMB-19) a string holding an
// object's JSON, parsed. An object member is read where it is, so `document` must outlive this.
class ObjectMember {
 public:
  ObjectMember(const nlohmann::json& document, std::string_view name);
  ObjectMember(const nlohmann::json&& document, std::string_view name) = delete;  // would dangle
  ObjectMember(const ObjectMember&) = delete;  // a parsed member may nest deep: not copied
  ObjectMember& operator=(const ObjectMember&) = delete;
  ObjectMember(ObjectMember&&) = default;
  ObjectMember& operator=(ObjectMember&&) = default;

  explicit operator bool() const { return get() != nullptr; }
  bool has_value() const { return get() != nullptr; }
  const nlohmann::json& operator*() const { return *get(); }
  const nlohmann::json* operator->() const { return get(); }

 private:
  const nlohmann::json* get() const { return parsed_ ? &*parsed_ : in_place_; }

  const nlohmann::json* in_place_ = nullptr;
  std::optional<nlohmann::json> parsed_;
};

// a == b, with nlohmann's meaning (numbers compare by value, a discarded value equals nothing).
bool equal(const nlohmann::json& a, const nlohmann::json& b);

// Whether arrays and objects nest in `value` deeper than `levels` ("[1]" nests one level).
bool nests_deeper_than(const nlohmann::json& value, std::size_t levels);

// value.dump(...), or "a value nested deeper than 256 levels" when it nests deeper than
// kMaxStructuredDepth.
std::string dump_within_bound(const nlohmann::json& value, int indent = -1, char indent_char = ' ',
                              bool ensure_ascii = false,
                              nlohmann::json::error_handler_t error_handler = nlohmann::json::error_handler_t::strict);

// Calls visit(key, member) for every member of every object in `value`, at any depth, in
// document order (a member before the members inside it).
template <class Visit>
void for_each_member(const nlohmann::json& value, Visit&& visit) {
  struct Pending {
    const std::string* key;  // nullptr for an array element
    const nlohmann::json* value;
  };
  std::vector<Pending> pending;
  // Children go on in reverse, so the first one comes off first.
  const auto push_children = [&pending](const nlohmann::json& node) {
    if (!node.is_object() && !node.is_array()) return;
    for (auto it = node.end(); it != node.begin();) {
      --it;
      pending.push_back({node.is_object() ? &it.key() : nullptr, &*it});
    }
  };
  push_children(value);
  while (!pending.empty()) {
    const Pending next = pending.back();
    pending.pop_back();
    if (next.key != nullptr) visit(*next.key, *next.value);
    push_children(*next.value);
  }
}

}  // namespace tigress::codec::json_in_place
