#include "conformance/framework/catalogue.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "conformance/framework/strict_json.hpp"
#include "reference/data/data_dir.hpp"

namespace tigress::conformance {
namespace {

using nlohmann::json;

constexpr std::string_view kSchema = "tigress-requirements/1";
// The shipped catalogue is about 110 KB; the cap only stops a wrong path (a log, a device
// file) from being read whole.
constexpr std::streamsize kMaxCatalogueBytes = 16 * 1024 * 1024;

constexpr std::array<std::string_view, 4> kLevelNames = {"MUST", "SHOULD", "MAY", "ADVISORY"};
constexpr std::array<std::string_view, 5> kBinds = {"relay", "client", "initiator", "recipient", "vertical"};

std::string sha256_hex(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), md, &length, EVP_sha256(), nullptr) != 1) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 0x0f]);
  }
  return out;
}

// ---- Validation --------------------------------------------------------------------------------
// Each helper returns the first failure with the path of the offending value: one precise
// message is more use to whoever edits the file than a cascade of consequences.
using Check = std::optional<Error>;

std::string member_path(const std::string& parent, std::string_view name) {
  return parent.empty() ? std::string(name) : parent + "." + std::string(name);
}

Check need_string(const json& object, const std::string& parent, std::string_view name, std::string& out,
                  bool required = true) {
  const std::string path = member_path(parent, name);
  const auto it = object.find(name);
  if (it == object.end()) {
    return required ? Check(field_error(path, "missing member")) : std::nullopt;
  }
  if (!it->is_string()) return field_error(path, "must be a string");
  out = it->get<std::string>();
  if (out.empty()) return field_error(path, "must not be empty");
  return std::nullopt;
}

Check need_string_list(const json& object, const std::string& parent, std::string_view name,
                       std::vector<std::string>& out) {
  const std::string path = member_path(parent, name);
  const auto it = object.find(name);
  if (it == object.end()) return field_error(path, "missing member");
  if (!it->is_array()) return field_error(path, "must be an array of strings");
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& item = (*it)[i];
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    if (!item.is_string()) return field_error(item_path, "must be a string");
    out.push_back(item.get<std::string>());
    if (out.back().empty()) return field_error(item_path, "must not be empty");
  }
  return std::nullopt;
}

// Members outside the schema are refused: a misspelt optional member ("untestable_reson")
// would otherwise vanish silently.
Check only_members(const json& object, const std::string& parent, std::initializer_list<std::string_view> allowed) {
  for (const auto& [name, value] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      return field_error(member_path(parent, name), "unknown member");
    }
  }
  return std::nullopt;
}

// Requirement ids are written into reports and case sources: upper-case words and digits
// joined by '-', e.g. MBX-READ-05 or TM-12.
bool valid_id(std::string_view id) {
  if (id.empty() || id.front() == '-' || id.back() == '-' || id.find('-') == id.npos) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok || (c == '-' && id[i + 1] == '-')) return false;
  }
  return true;
}

Check parse_string_map(const json& doc, std::string_view name, std::map<std::string, std::string>& out) {
  const std::string path(name);
  const auto it = doc.find(name);
  if (it == doc.end()) return field_error(path, "missing member");
  if (!it->is_object()) return field_error(path, "must be an object of strings");
  for (const auto& [key, value] : it->items()) {
    const std::string item_path = path + "." + key;
    if (key.empty()) return field_error(path, "member names must not be empty");
    if (!value.is_string()) return field_error(item_path, "must be a string");
    if (value.get_ref<const std::string&>().empty()) {
      return field_error(item_path, "must not be empty");
    }
    out.emplace(key, value.get<std::string>());
  }
  return std::nullopt;
}

struct Context {
  std::map<std::string, std::string> sources;
  const std::map<std::string, std::string>* ambiguities = nullptr;
};

Check parse_requirement(const json& item, const std::string& path, const Context& context, Requirement& r) {
  if (!item.is_object()) return field_error(path, "must be an object");
  if (Check e = only_members(item, path,
                             {"id", "section", "source", "level", "keyword", "binds", "paraphrase", "check",
                              "ambiguities", "strict", "acceptable", "testable", "untestable_reason", "profile"})) {
    return e;
  }
  std::string level;
  const std::pair<std::string_view, std::string*> strings[] = {
      {"id", &r.id},           {"section", &r.section}, {"source", &r.source},         {"level", &level},
      {"keyword", &r.keyword}, {"binds", &r.binds},     {"paraphrase", &r.paraphrase}, {"check", &r.check},
      {"strict", &r.strict}};
  for (const auto& [name, target] : strings) {
    if (Check e = need_string(item, path, name, *target)) return e;
  }
  if (!valid_id(r.id)) {
    return field_error(path + ".id", "must be upper-case words and digits joined by '-'");
  }
  if (!context.sources.count(r.source)) {
    return field_error(path + ".source", "must name an entry of \"sources\"");
  }
  bool level_known = false;
  for (std::size_t i = 0; i < kLevelNames.size(); ++i) {
    if (kLevelNames[i] == level) r.level = static_cast<Level>(i), level_known = true;
  }
  if (!level_known) {
    return field_error(path + ".level", "must be one of MUST, SHOULD, MAY, ADVISORY");
  }
  if (std::find(kBinds.begin(), kBinds.end(), r.binds) == kBinds.end()) {
    return field_error(path + ".binds", "must be one of relay, client, initiator, recipient, vertical");
  }
  // Reports print the paraphrase in one table cell.
  if (r.paraphrase.find_first_of("\r\n") != std::string::npos) {
    return field_error(path + ".paraphrase", "must be a single line");
  }

  if (Check e = need_string_list(item, path, "ambiguities", r.ambiguities)) return e;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < r.ambiguities.size(); ++i) {
    const std::string at = path + ".ambiguities[" + std::to_string(i) + "]";
    if (!context.ambiguities->count(r.ambiguities[i])) {
      return field_error(at, "\"" + r.ambiguities[i] + "\" is not in \"ambiguities\"");
    }
    if (!seen.insert(r.ambiguities[i]).second) return field_error(at, "listed twice");
  }
  if (Check e = need_string_list(item, path, "acceptable", r.acceptable)) return e;

  const auto testable = item.find("testable");
  if (testable == item.end()) return field_error(path + ".testable", "missing member");
  if (!testable->is_boolean()) return field_error(path + ".testable", "must be a boolean");
  r.testable = testable->get<bool>();
  if (Check e = need_string(item, path, "untestable_reason", r.untestable_reason, false)) {
    return e;
  }
  // The reason is what a certification reader sees instead of a verdict, so it is mandatory;
  // on a testable row it would contradict the flag.
  if (!r.testable && r.untestable_reason.empty()) {
    return field_error(path + ".untestable_reason", "required when testable is false");
  }
  if (r.testable && !r.untestable_reason.empty()) {
    return field_error(path + ".untestable_reason", "only allowed when testable is false");
  }
  return need_string(item, path, "profile", r.profile, false);
}

// Reading ids are short labels that cases name in their source: "strict", "lenient-read".
bool valid_reading_id(std::string_view id) {
  if (id.empty() || id.front() == '-' || id.back() == '-') return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok || (c == '-' && id[i + 1] == '-')) return false;
  }
  return true;
}

Check parse_reading(const json& item, const std::string& path, Reading& reading) {
  if (!item.is_object()) return field_error(path, "must be an object");
  if (Check e = only_members(item, path, {"id", "statuses", "description"})) return e;
  if (Check e = need_string(item, path, "id", reading.id)) return e;
  if (!valid_reading_id(reading.id)) {
    return field_error(path + ".id", "must be lower-case words and digits joined by '-'");
  }
  if (Check e = need_string(item, path, "description", reading.description)) return e;
  if (reading.description.find_first_of("\r\n") != std::string::npos) {
    return field_error(path + ".description", "must be a single line");
  }
  const std::string statuses_path = path + ".statuses";
  const auto statuses = item.find("statuses");
  if (statuses == item.end()) return field_error(statuses_path, "missing member");
  if (!statuses->is_array()) return field_error(statuses_path, "must be an array of HTTP statuses");
  if (statuses->empty()) return field_error(statuses_path, "must not be empty");
  for (std::size_t i = 0; i < statuses->size(); ++i) {
    const json& status = (*statuses)[i];
    const std::string at = statuses_path + "[" + std::to_string(i) + "]";
    if (!status.is_number_integer()) return field_error(at, "must be an integer");
    const auto value = status.get<std::int64_t>();
    if (value < 100 || value > 599) return field_error(at, "must be an HTTP status, 100..599");
    const int code = static_cast<int>(value);
    if (std::find(reading.statuses.begin(), reading.statuses.end(), code) != reading.statuses.end()) {
      return field_error(at, "listed twice");
    }
    reading.statuses.push_back(code);
  }
  return std::nullopt;
}

// "readings": {"AMB-nn": [{"id", "statuses", "description"}, ...]}. Optional as a whole; an
// ambiguity listed there names an entry of "ambiguities" and has at least one reading.
Check parse_readings(const json& doc, Catalogue& catalogue) {
  const auto it = doc.find("readings");
  if (it == doc.end()) return std::nullopt;
  if (!it->is_object()) return field_error("readings", "must be an object of reading lists");
  for (const auto& [ambiguity, list] : it->items()) {
    const std::string path = "readings." + ambiguity;
    if (!catalogue.ambiguities.count(ambiguity)) {
      return field_error(path, "\"" + ambiguity + "\" is not in \"ambiguities\"");
    }
    if (!list.is_array()) return field_error(path, "must be an array of readings");
    if (list.empty()) return field_error(path, "must not be empty");
    std::vector<Reading> readings;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string at = path + "[" + std::to_string(i) + "]";
      Reading reading;
      if (Check e = parse_reading(list[i], at, reading)) return e;
      for (const Reading& earlier : readings) {
        if (earlier.id == reading.id) return field_error(at + ".id", "listed twice");
      }
      readings.push_back(std::move(reading));
    }
    catalogue.readings.emplace(ambiguity, std::move(readings));
  }
  return std::nullopt;
}

Check parse_document(const json& doc, Catalogue& catalogue) {
  if (!doc.is_object()) return make_error("the catalogue must be a JSON object");
  if (Check e = only_members(
          doc, "", {"schema", "version", "sources", "levels", "notes", "ambiguities", "readings", "requirements"})) {
    return e;
  }
  std::string schema, notes;
  if (Check e = need_string(doc, "", "schema", schema)) return e;
  if (schema != kSchema) {
    return field_error("schema", "must be \"" + std::string(kSchema) + "\", not \"" + schema + "\"");
  }
  if (Check e = need_string(doc, "", "version", catalogue.version)) return e;
  if (Check e = need_string(doc, "", "notes", notes)) return e;

  Context context;
  if (Check e = parse_string_map(doc, "sources", context.sources)) return e;
  std::map<std::string, std::string> levels;
  if (Check e = parse_string_map(doc, "levels", levels)) return e;
  // The level definitions are the legend of every report: exactly the four levels.
  for (std::string_view name : kLevelNames) {
    if (!levels.count(std::string(name))) {
      return field_error("levels." + std::string(name), "missing member");
    }
  }
  for (const auto& [name, text] : levels) {
    if (std::find(kLevelNames.begin(), kLevelNames.end(), name) == kLevelNames.end()) {
      return field_error("levels." + name, "must be one of MUST, SHOULD, MAY, ADVISORY");
    }
  }
  if (Check e = parse_string_map(doc, "ambiguities", catalogue.ambiguities)) return e;
  context.ambiguities = &catalogue.ambiguities;
  if (Check e = parse_readings(doc, catalogue)) return e;

  const auto list = doc.find("requirements");
  if (list == doc.end()) return field_error("requirements", "missing member");
  if (!list->is_array()) return field_error("requirements", "must be an array");
  if (list->empty()) return field_error("requirements", "must not be empty");
  catalogue.requirements.reserve(list->size());
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string path = "requirements[" + std::to_string(i) + "]";
    Requirement r;
    if (Check e = parse_requirement((*list)[i], path, context, r)) return e;
    const auto [it, inserted] = catalogue.index.emplace(r.id, i);
    if (!inserted) {
      return field_error(path + ".id",
                         "duplicate of requirements[" + std::to_string(it->second) + "] (\"" + r.id + "\")");
    }
    catalogue.requirements.push_back(std::move(r));
  }
  return std::nullopt;
}

}  // namespace

std::string_view level_name(Level level) {
  // Only a cast can produce another value; naming it beats passing it off as a real level.
  const auto i = static_cast<std::size_t>(level);
  return i < kLevelNames.size() ? kLevelNames[i] : std::string_view("UNKNOWN");
}

bool parse_level(std::string_view text, Level& out) {
  for (Level level : {Level::kMust, Level::kShould, Level::kMay, Level::kAdvisory}) {
    if (level_name(level) == text) {
      out = level;
      return true;
    }
  }
  return false;
}

const Requirement* Catalogue::find(const std::string& id) const {
  const auto it = index.find(id);
  if (it == index.end() || it->second >= requirements.size()) return nullptr;
  return &requirements[it->second];
}

std::vector<int> Catalogue::accepted_statuses(const std::string& ambiguity, const std::string& reading) const {
  std::vector<int> out;
  const auto it = readings.find(ambiguity);
  if (it == readings.end()) return out;
  for (const Reading& r : it->second) {
    if (!reading.empty() && r.id != reading) continue;
    for (int status : r.statuses) {
      if (std::find(out.begin(), out.end(), status) == out.end()) out.push_back(status);
    }
  }
  return out;
}

Result<Catalogue> parse_catalogue(const std::string& json_text) {
  // Nothing may escape this API, and nlohmann reports some misuse (e.g. invalid UTF-8 on
  // dump) by throwing; a stray allocation failure is folded in the same way.
  try {
    Result<json> parsed = parse_strict_json(json_text);
    if (!parsed) return parsed.error();
    const json& doc = *parsed;

    Catalogue catalogue;
    if (Check e = parse_document(doc, catalogue)) return *e;
    catalogue.digest = sha256_hex(json_text);
    if (catalogue.digest.empty()) return make_error("SHA-256 of the catalogue failed");
    return catalogue;
  } catch (const std::exception& e) {
    return make_error(std::string("catalogue could not be read: ") + e.what());
  }
}

Result<Catalogue> load_catalogue(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) return make_error("cannot open " + path);
    return make_error("cannot open " + path + ": no such file (--catalogue, TIGRESS_CATALOGUE or " +
                      data::kDataDirVariable + " selects another)");
  }
  // Chunked, so the cap is checked before memory is spent on a file that is no catalogue.
  std::string bytes;
  std::array<char, 64 * 1024> chunk;
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    bytes.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    if (static_cast<std::streamsize>(bytes.size()) > kMaxCatalogueBytes) {
      return make_error(path + " is larger than 16 MiB; not a catalogue");
    }
  }
  if (in.bad()) return make_error("cannot read " + path);
  // The digest must be of the exact bytes, which parse_catalogue hashes.
  return parse_catalogue(bytes);
}

std::string default_catalogue_path() {
  if (const char* env = std::getenv("TIGRESS_CATALOGUE"); env != nullptr && *env != '\0') {
    return env;
  }
  return (data::data_dir() / "requirements.json").string();
}

}  // namespace tigress::conformance
