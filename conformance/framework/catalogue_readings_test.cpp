// The machine-readable readings of ambiguities: the shipped ones load, every one names a real
// ambiguity, and damaged readings are refused with the path of the damage.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "conformance/framework/catalogue.hpp"

namespace tigress::conformance {
namespace {

using nlohmann::json;

constexpr const char* kReadingsMinimal =
    R"({"schema":"tigress-requirements/1","version":"t","sources":{"VIN":"v"},)"
    R"("levels":{"MUST":"m","SHOULD":"s","MAY":"y","ADVISORY":"a"},"notes":"n",)"
    R"("ambiguities":{"AMB-01":"x","AMB-02":"y"},)"
    R"("readings":{"AMB-01":[{"id":"strict","statuses":[404],"description":"d"},)"
    R"({"id":"lenient","statuses":[201,404,200],"description":"e"}]},)"
    R"("requirements":[{"id":"MBX-A-01","section":"1",)"
    R"("source":"VIN","level":"MUST","keyword":"MUST","binds":"relay","paraphrase":"p",)"
    R"("check":"c","ambiguities":["AMB-01"],"strict":"s","acceptable":[],"testable":true}]})";

Error readings_error_after(void (*edit)(json&)) {
  json doc = json::parse(kReadingsMinimal);
  edit(doc);
  Result<Catalogue> c = parse_catalogue(doc.dump());
  EXPECT_FALSE(c.ok()) << doc["readings"].dump();
  return c.ok() ? Error{} : c.error();
}

TEST(CatalogueReadings, LoadWithTheirStatusSets) {
  Result<Catalogue> c = parse_catalogue(kReadingsMinimal);
  ASSERT_TRUE(c.ok()) << c.error().message();
  ASSERT_EQ(c->readings.count("AMB-01"), 1u);
  const auto& readings = c->readings.at("AMB-01");
  ASSERT_EQ(readings.size(), 2u);
  EXPECT_EQ(readings[0].id, "strict");
  EXPECT_EQ(readings[1].description, "e");
  EXPECT_EQ(c->accepted_statuses("AMB-01", "strict"), (std::vector<int>{404}));
  EXPECT_EQ(c->accepted_statuses("AMB-01"), (std::vector<int>{404, 201, 200}));  // each once
  EXPECT_TRUE(c->accepted_statuses("AMB-01", "other").empty());
  EXPECT_TRUE(c->accepted_statuses("AMB-02").empty());
}

TEST(CatalogueReadings, AreOptional) {
  json doc = json::parse(kReadingsMinimal);
  doc.erase("readings");
  Result<Catalogue> c = parse_catalogue(doc.dump());
  ASSERT_TRUE(c.ok()) << c.error().message();
  EXPECT_TRUE(c->readings.empty());
}

TEST(CatalogueReadings, ShippedReadingsNameRealAmbiguitiesAndStatuses) {
  Result<Catalogue> c = load_catalogue(TIGRESS_SOURCE_DIR "/conformance/requirements.json");
  ASSERT_TRUE(c.ok()) << c.error().message();
  EXPECT_GE(c->readings.size(), 20u);
  // The ambiguity the duplicate-Delete case decides: 6.3.3's 404 strict, 5.1's 201 (or 200) lenient.
  EXPECT_EQ(c->accepted_statuses("AMB-04", "strict"), (std::vector<int>{404}));
  EXPECT_EQ(c->accepted_statuses("AMB-04", "lenient"), (std::vector<int>{201, 200}));
  // 6.1/create-200: 200 [S]; a first Create answered 201 with the full body [L] is a WARN.
  EXPECT_EQ(c->accepted_statuses("AMB-24", "strict"), (std::vector<int>{200}));
  EXPECT_EQ(c->accepted_statuses("AMB-24", "lenient"), (std::vector<int>{201}));
  for (const auto& [ambiguity, readings] : c->readings) {
    EXPECT_EQ(c->ambiguities.count(ambiguity), 1u) << ambiguity;
    EXPECT_GE(readings.size(), 2u) << ambiguity << ": an ambiguity has more than one reading";
  }
}

TEST(CatalogueReadings, MalformedReadingsAreRefusedWithTheirPath) {
  struct Damage {
    void (*edit)(json&);
    std::string message;
  };
  const Damage damages[] = {
      {[](json& d) { d["readings"] = json::array(); }, "readings: must be an object of reading lists"},
      {[](json& d) { d["readings"]["AMB-09"] = d["readings"]["AMB-01"]; },
       "readings.AMB-09: \"AMB-09\" is not in \"ambiguities\""},
      {[](json& d) { d["readings"]["AMB-02"] = json::array(); }, "readings.AMB-02: must not be empty"},
      {[](json& d) { d["readings"]["AMB-01"][0]["statuz"] = 1; }, "readings.AMB-01[0].statuz: unknown member"},
      {[](json& d) { d["readings"]["AMB-01"][1]["id"] = "strict"; }, "readings.AMB-01[1].id: listed twice"},
      {[](json& d) { d["readings"]["AMB-01"][0]["id"] = "Strict"; },
       "readings.AMB-01[0].id: must be lower-case words and digits joined by '-'"},
      {[](json& d) { d["readings"]["AMB-01"][0].erase("statuses"); }, "readings.AMB-01[0].statuses: missing member"},
      {[](json& d) { d["readings"]["AMB-01"][0]["statuses"] = json::array(); },
       "readings.AMB-01[0].statuses: must not be empty"},
      {[](json& d) {
         d["readings"]["AMB-01"][0]["statuses"] = {404, 99};
       },
       "readings.AMB-01[0].statuses[1]: must be an HTTP status, 100..599"},
      {[](json& d) { d["readings"]["AMB-01"][0]["statuses"] = {600}; },
       "readings.AMB-01[0].statuses[0]: must be an HTTP status, 100..599"},
      {[](json& d) { d["readings"]["AMB-01"][0]["statuses"] = {"404"}; },
       "readings.AMB-01[0].statuses[0]: must be an integer"},
      {[](json& d) {
         d["readings"]["AMB-01"][0]["statuses"] = {404, 404};
       },
       "readings.AMB-01[0].statuses[1]: listed twice"},
      {[](json& d) { d["readings"]["AMB-01"][0].erase("description"); },
       "readings.AMB-01[0].description: missing member"},
      {[](json& d) { d["readings"]["AMB-01"][0]["description"] = "two\nlines"; },
       "readings.AMB-01[0].description: must be a single line"},
  };
  for (const Damage& damage : damages) {
    EXPECT_EQ(readings_error_after(damage.edit).message(), damage.message);
  }
}

}  // namespace
}  // namespace tigress::conformance
