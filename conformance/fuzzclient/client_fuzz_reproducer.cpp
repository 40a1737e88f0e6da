#include "conformance/fuzzclient/client_fuzz_reproducer.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace tigress::fuzz::client {
namespace {

using Json = nlohmann::json;
constexpr const char* kFormat = "tigress-fuzz-client-reproducer/1";

std::string pretty_json(const Json& document) { return document.dump(2, ' ', false, Json::error_handler_t::replace); }

}  // namespace

Result<std::string> save_client_reproducer(const ClientReproducer& r, const std::string& dir) {
  Json mutations = Json::array();
  for (const auto& planned : r.mutations) {
    Json entry = to_json(planned.mutation);
    entry["operation"] = planned.operation;
    entry["ordinal"] = planned.ordinal;
    mutations.push_back(std::move(entry));
  }
  Json answers = Json::array();
  for (const auto& a : r.answers) {
    answers.push_back({{"operation", a.operation},
                       {"ordinal", a.ordinal},
                       {"status", a.status},
                       {"headers", a.headers},
                       {"body_bytes", a.body_bytes},
                       {"body_excerpt", a.body_excerpt},
                       {"mutations", a.mutations}});
  }
  const Json document = {{"format", kFormat},
                         {"finding",
                          {{"class", r.finding.finding_class},
                           {"command", r.finding.command},
                           {"key", r.finding.key()},
                           {"detail", r.finding.detail},
                           {"stderr", r.finding.stderr_excerpt}}},
                         {"seed", r.seed},
                         {"scenario", r.scenario},
                         {"full", r.full},
                         {"commands", r.commands},
                         {"minimised", r.minimised},
                         {"original_mutations", r.original_mutations},
                         {"note", r.note},
                         {"mutations", mutations},
                         {"answers", answers}};
  const std::string text = pretty_json(document);
  std::uint32_t hash = 2166136261u;  // FNV-1a of the key and the mutations: a stable name
  for (char c : r.finding.key() + mutations.dump()) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
  char name[16];
  std::snprintf(name, sizeof name, "%08x", hash);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const std::string path = (std::filesystem::path(dir) / (r.finding.finding_class + "-" + name + ".json")).string();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!(out << text << "\n")) return make_error("cannot write " + path);
  return path;
}

Result<ClientReproducer> load_client_reproducer(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  const Json document = Json::parse(text.str(), nullptr, false);
  if (!document.is_object() || document.value("format", "") != kFormat) {
    return make_error(path + " is not a " + std::string(kFormat) + " file");
  }
  const auto bad = [&path](const std::string& what) { return make_error(path + ": " + what); };
  ClientReproducer r;
  const Json& finding = document.contains("finding") ? document["finding"] : Json();
  if (!finding.is_object() || !finding.value("class", Json()).is_string() ||
      !finding.value("command", Json()).is_string()) {
    return bad("\"finding\" needs string members \"class\" and \"command\"");
  }
  r.finding.finding_class = finding["class"];
  r.finding.command = finding["command"];
  if (finding.contains("detail") && finding["detail"].is_string()) r.finding.detail = finding["detail"];
  if (!document.value("full", Json()).is_boolean()) return bad("\"full\" must be a boolean");
  r.full = document["full"];
  if (document.contains("seed") && document["seed"].is_number_unsigned()) r.seed = document["seed"];
  if (document.contains("scenario") && document["scenario"].is_number_unsigned()) r.scenario = document["scenario"];
  if (!document.value("mutations", Json()).is_array()) return bad("\"mutations\" must be an array");
  for (const auto& entry : document["mutations"]) {
    auto mutation = mutation_from_json(entry);
    if (!mutation) return bad(mutation.error().message());
    if (!entry.value("operation", Json()).is_string() || !entry.value("ordinal", Json()).is_number_integer()) {
      return bad("each mutation needs a string \"operation\" and an integer \"ordinal\"");
    }
    r.mutations.push_back(PlannedMutation{entry["operation"], entry["ordinal"].get<int>(), *mutation});
  }
  r.original_mutations = r.mutations.size();
  return r;
}

}  // namespace tigress::fuzz::client
