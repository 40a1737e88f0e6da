#include "conformance/netfuzz/json_mutation.hpp"

#include <algorithm>

namespace tigress::fuzz {

using Json = nlohmann::json;

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
