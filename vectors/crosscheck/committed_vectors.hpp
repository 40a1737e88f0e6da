// Reads a committed vector file (vectors/*.json) for the independent cross-checks, and the glue
// they share: hex and flag lookup. Nothing here interprets a vector's input; that is left to the
// second implementation each test links.
#pragma once

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tigress::vectors::crosscheck {

inline nlohmann::json load_vector_file(const std::string& name) {
  std::ifstream in(std::string(TIGRESS_VECTORS_DIR) + "/" + name, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return nlohmann::json::parse(buffer.str(), nullptr, false);
}

inline bool has_flag(const nlohmann::json& test, const std::string& flag) {
  const auto flags = test.value("flags", std::vector<std::string>{});
  return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

inline bool has_any_flag(const nlohmann::json& test, const std::vector<std::string>& wanted) {
  return std::any_of(wanted.begin(), wanted.end(), [&](const std::string& f) { return has_flag(test, f); });
}

inline std::vector<unsigned char> from_hex(const std::string& hex) {
  std::vector<unsigned char> out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<unsigned char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

inline std::string to_hex(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < size; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 0xF];
  }
  return out;
}

}  // namespace tigress::vectors::crosscheck
