// Where every benchmark leaves its figures: one JSON file, its folder made when missing.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

namespace tigress::bench {

inline bool write_report(const std::string& path, const nlohmann::json& report) {
  if (auto parent = std::filesystem::path(path).parent_path(); !parent.empty()) {
    std::error_code ignored;
    std::filesystem::create_directories(parent, ignored);
  }
  std::ofstream out(path);
  out << report.dump(2) << "\n";
  return static_cast<bool>(out.flush());
}

}  // namespace tigress::bench
