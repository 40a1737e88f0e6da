#include <algorithm>

#include "vectors/tool/vector_file.hpp"
#include "vectors/tool/verifiers.hpp"

namespace tigress::vectors {

namespace fs = std::filesystem;

void for_each_test(const Json& document, FileReport& report,
                   const std::function<std::string(const Json& group, const Json& test)>& check) {
  if (!document.contains("testGroups") || !document["testGroups"].is_array()) {
    report.failures.push_back("no testGroups array");
    return;
  }
  const Json notes = document.value("notes", Json::object());
  int counted = 0;
  for (const auto& group : document["testGroups"]) {
    for (const auto& test : group.value("tests", Json::array())) {
      ++counted;
      const std::string id = "tcId " + test.value("tcId", Json()).dump() + " (" + test.value("comment", "") + ")";
      const std::string result = test.value("result", "");
      if (result != "valid" && result != "invalid" && result != "acceptable") {
        report.failures.push_back(id + ": result must be valid, invalid or acceptable");
        continue;
      }
      ++report.by_result[result];
      for (const auto& flag : test.value("flags", Json::array())) {
        if (!flag.is_string() || !notes.contains(flag.get<std::string>())) {
          report.failures.push_back(id + ": flag " + flag.dump() + " has no note");
        }
      }
      std::string problem;
      try {  // the data is external input: a malformed member must fail this test, not the run
        problem = check(group, test);
      } catch (const std::exception& e) {
        problem = std::string("malformed test: ") + e.what();
      }
      if (!problem.empty()) report.failures.push_back(id + ": " + problem);
    }
  }
  report.tests = counted;
  if (document.value("numberOfTests", -1) != counted) {
    report.failures.push_back("numberOfTests is " + document.value("numberOfTests", Json()).dump() + ", the file has " +
                              std::to_string(counted));
  }
}

Result<std::vector<FileReport>> verify_directory(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory() && it->path().filename() == "schemas") {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && it->path().extension() == ".json") files.push_back(it->path());
  }
  if (ec) return make_error("cannot list " + dir.string() + ": " + ec.message());
  if (files.empty()) return make_error("no vector files in " + dir.string());
  std::sort(files.begin(), files.end());

  const std::map<std::string, void (*)(const Json&, FileReport&)> verifiers = {
      {"aead_payload_test_schema_v1.json", &verify_aead},
      {"share_url_test_schema_v1.json", &verify_share_urls},
      {"request_body_test_schema_v1.json", &verify_request_bodies},
      {"response_body_test_schema_v1.json", &verify_response_bodies},
      {"timestamp_test_schema_v1.json", &verify_timestamps},
      {"uuid_test_schema_v1.json", &verify_uuids},
      {"provisioning_test_schema_v1.json", &verify_provisioning},
      {"transcript_schema_v1.json", &verify_transcript},
  };
  std::vector<FileReport> reports;
  for (const auto& path : files) {
    FileReport report;
    report.path = fs::relative(path, dir).string();
    auto text = read_text_file(path);
    const Json doc = text ? Json::parse(*text, nullptr, false) : Json();
    if (!doc.is_object()) {
      report.failures.push_back("not a JSON object");
    } else if (!doc.contains("schema") || !doc["schema"].is_string() ||
               !verifiers.count(doc["schema"].get<std::string>())) {
      report.failures.push_back("unknown or missing schema member");
    } else {
      const std::string schema = doc["schema"];
      if (!fs::exists(dir / "schemas" / schema))
        report.failures.push_back("schema file schemas/" + schema + " is missing");
      if (doc.value("generatorVersion", "") != std::string(kVectorsVersion)) {
        report.failures.push_back("generatorVersion is not " + std::string(kVectorsVersion));
      }
      try {
        verifiers.at(schema)(doc, report);
      } catch (const std::exception& e) {
        report.failures.push_back(std::string("malformed file: ") + e.what());
      }
    }
    reports.push_back(std::move(report));
  }
  return reports;
}

}  // namespace tigress::vectors
