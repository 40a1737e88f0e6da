#include "conformance/replay/placeholders.hpp"

#include <chrono>

#include "reference/codec/timestamp.hpp"

namespace tigress::conformance {
namespace {

Result<std::string> resolve(const std::string& name, const Bindings& bindings) {
  if (auto it = bindings.find(name); it != bindings.end()) return it->second;
  if (name.size() > 5 && name.compare(0, 4, "time") == 0 && (name[4] == '+' || name[4] == '-')) {
    const std::string digits = name.substr(5);
    if (digits.empty() || digits.size() > 6 || digits.find_first_not_of("0123456789") != std::string::npos) {
      return make_error("bad time offset ${" + name + "}");
    }
    const long offset = std::stol(digits) * (name[4] == '+' ? 1 : -1);
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    return codec::format_timestamp(now + offset);
  }
  return make_error("unknown placeholder ${" + name + "}");
}

}  // namespace

Result<std::string> substitute(const std::string& text, const Bindings& bindings) {
  std::string out;
  std::size_t at = 0;
  while (true) {
    const std::size_t open = text.find("${", at);
    if (open == std::string::npos) break;
    const std::size_t close = text.find('}', open);
    if (close == std::string::npos) return make_error("unterminated placeholder");
    out.append(text, at, open - at);
    auto value = resolve(text.substr(open + 2, close - open - 2), bindings);
    if (!value) return value.error();
    out += *value;
    at = close + 1;
  }
  out.append(text, at, std::string::npos);
  return out;
}

Result<nlohmann::json> substitute_json(const nlohmann::json& value, const Bindings& bindings) {
  if (value.is_string()) {
    auto text = substitute(value.get<std::string>(), bindings);
    if (!text) return text.error();
    return nlohmann::json(*text);
  }
  if (value.is_array() || value.is_object()) {
    nlohmann::json out = value;
    for (auto it = out.begin(); it != out.end(); ++it) {
      auto replaced = substitute_json(it.value(), bindings);
      if (!replaced) return replaced.error();
      it.value() = std::move(*replaced);
    }
    return out;
  }
  return value;
}

}  // namespace tigress::conformance
