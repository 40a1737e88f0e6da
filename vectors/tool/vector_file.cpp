#include "vectors/tool/vector_file.hpp"

#include <fstream>
#include <set>
#include <sstream>

namespace tigress::vectors {

std::uint64_t DeterministicRng::next() {
  state_ += 0x9E3779B97F4A7C15ULL;
  std::uint64_t z = state_;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t DeterministicRng::below(std::uint64_t bound) { return next() % bound; }

Bytes DeterministicRng::bytes(std::size_t count) {
  Bytes out(count);
  for (auto& b : out) b = static_cast<std::uint8_t>(next() >> 56);
  return out;
}

std::string DeterministicRng::printable(std::size_t count) {
  std::string out(count, ' ');
  for (auto& c : out) c = static_cast<char>(0x20 + below(0x7F - 0x20));
  return out;
}

std::string to_hex(const Bytes& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (auto b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0F]);
  }
  return out;
}

Result<Bytes> from_hex(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (hex.size() % 2 != 0) return make_error("odd number of hex digits");
  Bytes out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int high = nibble(hex[i]), low = nibble(hex[i + 1]);
    if (high < 0 || low < 0) return make_error("not a hex digit");
    out.push_back(static_cast<std::uint8_t>((high << 4) | low));
  }
  return out;
}

Bytes to_bytes(std::string_view text) { return Bytes(text.begin(), text.end()); }

VectorFile::VectorFile(std::string algorithm, std::string schema, std::vector<std::string> header, std::string check)
    : algorithm_(std::move(algorithm)),
      schema_(std::move(schema)),
      header_(std::move(header)),
      check_(std::move(check)) {}

void VectorFile::note(const std::string& flag, const std::string& bug_type, const std::string& description) {
  OJson entry;
  entry["bugType"] = bug_type;
  entry["description"] = description;
  notes_[flag] = entry;
}

std::size_t VectorFile::group(OJson parameters) {
  parameters["source"] = {
      {"name", "tigress-vectors generate"}, {"version", std::string(kVectorsVersion)}, {"check", check_}};
  parameters["tests"] = OJson::array();
  groups_.push_back(std::move(parameters));
  return groups_.size() - 1;
}

OJson VectorFile::test(const std::string& comment, const std::vector<std::string>& flags) {
  OJson t;
  t["tcId"] = next_id_++;
  t["comment"] = comment;
  t["flags"] = flags;
  return t;
}

void VectorFile::add_test(std::size_t group_index, OJson test) {
  groups_.at(group_index)["tests"].push_back(std::move(test));
}

Result<OJson> VectorFile::finish() const {
  int count = 0;
  std::vector<OJson> groups = groups_;
  for (auto& g : groups) {
    for (auto& t : g["tests"]) {
      t["tcId"] = ++count;  // file order, whatever order the generator built the groups in
      if (!t.contains("result")) return make_error("tcId " + t["tcId"].dump() + " has no result");
      for (const auto& flag : t["flags"]) {
        if (!notes_.contains(flag.get<std::string>())) {
          return make_error("tcId " + t["tcId"].dump() + " uses flag " + flag.dump() + " without a note");
        }
      }
    }
  }
  OJson doc;
  doc["algorithm"] = algorithm_;
  doc["schema"] = schema_;
  doc["generatorVersion"] = std::string(kVectorsVersion);
  doc["numberOfTests"] = count;
  doc["header"] = header_;
  doc["notes"] = notes_;
  doc["testGroups"] = groups;
  return doc;
}

std::string serialize(const OJson& document) {
  return document.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

Status write_text_file(const std::filesystem::path& path, const std::string& text) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return make_error("cannot write " + path.string());
  out << text;
  out.close();
  if (!out) return make_error("cannot write " + path.string());
  return {};
}

Result<std::string> read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("cannot read " + path.string());
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace tigress::vectors
