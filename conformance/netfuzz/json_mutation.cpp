#include "conformance/netfuzz/json_mutation.hpp"

#include <algorithm>

#include "reference/codec/plain_json.hpp"

namespace tigress::fuzz {

using Json = nlohmann::json;

Json parse_for_mutation(std::string_view body) {
  if (codec::plain_json::nesting_depth(body) > kMaxStructuredDepth) return Json(Json::value_t::discarded);
  return codec::plain_json::parse_or_discarded(body);
}

void collect_nodes(Json& node, std::vector<Json*>& out) {
  out.push_back(&node);
  if (node.is_object() || node.is_array()) {
    for (auto& child : node) collect_nodes(child, out);
  }
}

namespace {

void walk_pointers(const Json& node, std::vector<Json::json_pointer>& out, const Json::json_pointer& at,
                   std::size_t depth_left) {
  out.push_back(at);
  if (depth_left == 0) return;
  if (node.is_object()) {
    for (const auto& [key, child] : node.items()) walk_pointers(child, out, at / key, depth_left - 1);
  } else if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i) walk_pointers(node[i], out, at / i, depth_left - 1);
  }
}

}  // namespace

void collect_pointers(const Json& node, std::vector<Json::json_pointer>& out, std::size_t max_depth) {
  walk_pointers(node, out, Json::json_pointer(), max_depth);
}

Json* random_node(Json& root, std::mt19937_64& rng, bool strings_only) {
  std::vector<Json*> nodes;
  collect_nodes(root, nodes);
  if (strings_only) {
    nodes.erase(std::remove_if(nodes.begin(), nodes.end(), [](Json* n) { return !n->is_string(); }), nodes.end());
  }
  return nodes.empty() ? nullptr : nodes[rng() % nodes.size()];
}

Json random_typed_value(std::mt19937_64& rng) {
  switch (rng() % 10) {
    case 0:
      return 1;
    case 1:
      return -1;
    case 2:
      return 1.5e308;
    case 3:
      return true;
    case 4:
      return nullptr;
    case 5:
      return "s";
    case 6:
      return Json::array();
    case 7:
      return Json::object();
    case 8:
      return Json::array({1, "a", nullptr});
    default:
      return 9007199254740993ULL;
  }
}

namespace {

// Strings this long and of these bytes only are written as they are: no escape applies to them.
constexpr std::size_t kLongString = 256;

bool escaped_byte(unsigned char c) { return c < 0x20 || c > 0x7E || c == '"' || c == '\\'; }

bool written_verbatim(const std::string& text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t i = 0;
  // Blocks of a fixed length without an early exit, which the compiler vectorises at -O2.
  for (; i + 64 <= text.size(); i += 64) {
    unsigned char escaped = 0;
    for (std::size_t k = 0; k < 64; ++k) {
      const unsigned char c = bytes[i + k];
      escaped |=
          static_cast<unsigned char>((static_cast<unsigned char>(c - 0x20) > 0x7E - 0x20) | (c == '"') | (c == '\\'));
    }
    if (escaped != 0) return false;
  }
  for (; i < text.size(); ++i) {
    if (escaped_byte(bytes[i])) return false;
  }
  return true;
}

struct SetAside {
  Json* node;
  std::string text;
  std::string placeholder;  // as dumped, quotes included
  std::size_t at = 0;       // where the placeholder is in the dump
};

}  // namespace

std::string dump_json(Json& doc) {
  std::vector<SetAside> long_strings;
  std::vector<Json*> pending{&doc};  // not recursive: bodies nest thousands deep
  while (!pending.empty()) {
    Json* node = pending.back();
    pending.pop_back();
    if (node->is_object() || node->is_array()) {
      for (auto& child : *node) pending.push_back(&child);
    } else if (node->is_string()) {
      const auto& text = node->get_ref<const std::string&>();
      if (text.size() >= kLongString && written_verbatim(text)) long_strings.push_back({node, {}, {}});
    }
  }
  if (long_strings.empty()) return doc.dump();
  // A control character makes the placeholder dump as an escape that no verbatim string holds;
  // should another string spell it all the same, it is found twice and the plain dump is taken.
  for (std::size_t i = 0; i < long_strings.size(); ++i) {
    SetAside& aside = long_strings[i];
    aside.text = std::move(aside.node->get_ref<std::string&>());
    const std::string placeholder = "\x01netfuzz-long-string-" + std::to_string(i) + "\x01";
    aside.placeholder = Json(placeholder).dump();
    *aside.node = placeholder;
  }
  std::string with_placeholders = doc.dump();
  bool unique = true;
  for (auto& aside : long_strings) {
    aside.at = with_placeholders.find(aside.placeholder);
    unique = unique && aside.at != std::string::npos &&
             with_placeholders.find(aside.placeholder, aside.at + 1) == std::string::npos;
  }
  for (auto& aside : long_strings) *aside.node = std::move(aside.text);
  if (!unique) return doc.dump();
  std::sort(long_strings.begin(), long_strings.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
  std::size_t size = with_placeholders.size();
  for (const auto& aside : long_strings) size += aside.node->get_ref<const std::string&>().size() + 2;
  std::string out;
  out.reserve(size);
  std::size_t from = 0;
  for (const auto& aside : long_strings) {
    out.append(with_placeholders, from, aside.at - from).append(1, '"');
    out.append(aside.node->get_ref<const std::string&>()).append(1, '"');
    from = aside.at + aside.placeholder.size();
  }
  out.append(with_placeholders, from, std::string::npos);
  return out;
}

std::string nested(std::size_t depth, bool arrays) {
  std::string open = arrays ? "[" : "{\"a\":";
  std::string close = arrays ? "]" : "}";
  std::string out;
  out.reserve(depth * (open.size() + 1));
  for (std::size_t i = 0; i < depth; ++i) out += open;
  out += "1";
  for (std::size_t i = 0; i < depth; ++i) out += close;
  return out;
}

}  // namespace tigress::fuzz
