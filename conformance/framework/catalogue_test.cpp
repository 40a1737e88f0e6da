// The requirement catalogue: the shipped file loads and is internally consistent, and a damaged
// catalogue is refused with the path of the damage. (Its comparison with the requirements digest
// it is derived from, a document outside the repository, is scripts/check-catalogue-digest.sh.)
#include "conformance/framework/catalogue.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace tigress::conformance {
namespace {

using nlohmann::json;

const std::string kShipped = TIGRESS_SOURCE_DIR "/conformance/requirements.json";

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

const Catalogue& shipped() {
  static const Catalogue catalogue = [] {
    Result<Catalogue> loaded = load_catalogue(kShipped);
    EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().message());
    return loaded.ok() ? std::move(loaded).value() : Catalogue{};
  }();
  return catalogue;
}

// ---- The shipped catalogue ---------------------------------------------------------------------

TEST(ShippedCatalogue, LoadsWithVersionAndDigest) {
  const Catalogue& c = shipped();
  EXPECT_EQ(c.version, "1.0.0");
  EXPECT_TRUE(std::regex_match(c.digest, std::regex("[0-9a-f]{64}"))) << c.digest;
  EXPECT_GT(c.requirements.size(), 100u);
  EXPECT_EQ(c.index.size(), c.requirements.size());
}

// Ids are PREFIX-NN, numbered from 01 without gaps within each prefix, so a row lost from the
// catalogue (or a number reused) shows here; the totals are those of the digest's tables.
TEST(ShippedCatalogue, IdsAreNumberedWithoutGaps) {
  const std::regex shape("((MBX-[A-Z]+)|TM)-([0-9]{2})");
  std::map<std::string, std::set<int>> numbers;
  std::size_t mbx = 0;
  for (const Requirement& r : shipped().requirements) {
    std::smatch match;
    ASSERT_TRUE(std::regex_match(r.id, match, shape)) << r.id;
    numbers[match[1]].insert(std::stoi(match[3]));
    mbx += r.id.rfind("MBX-", 0) == 0;
  }
  for (const auto& [prefix, seen] : numbers) {
    EXPECT_EQ(*seen.begin(), 1) << prefix;
    EXPECT_EQ(static_cast<std::size_t>(*seen.rbegin()), seen.size()) << prefix << ": a number is missing";
  }
  EXPECT_GT(mbx, 140u);
  EXPECT_GE(numbers["TM"].size(), 20u);
}

TEST(ShippedCatalogue, ThreatModelRowsAreAdvisory) {
  for (const Requirement& r : shipped().requirements) {
    if (r.id.rfind("TM-", 0) == 0) {
      EXPECT_EQ(r.level, Level::kAdvisory) << r.id;  // threat-model items are never normative
    }
  }
}

TEST(ShippedCatalogue, EverySourceIsDeclared) {
  const json document = json::parse(read_text(kShipped));
  const json& sources = document.at("sources");
  for (const Requirement& r : shipped().requirements) {
    EXPECT_TRUE(sources.contains(r.source)) << r.id << " cites undeclared source " << r.source;
  }
}

TEST(ShippedCatalogue, EveryLevelAndBindsValueIsKnown) {
  const std::set<std::string> levels = {"MUST", "SHOULD", "MAY", "ADVISORY"};
  const std::set<std::string> binds = {"relay", "client", "initiator", "recipient", "vertical"};
  std::set<std::string> seen;
  for (const Requirement& r : shipped().requirements) {
    EXPECT_TRUE(levels.count(std::string(level_name(r.level)))) << r.id;
    EXPECT_TRUE(binds.count(r.binds)) << r.id;
    seen.insert(std::string(level_name(r.level)));
  }
  EXPECT_EQ(seen, levels);  // the file uses every level, so none was mapped away by accident
}

TEST(ShippedCatalogue, EveryAmbiguityIsDefinedAndReferencesResolve) {
  const Catalogue& c = shipped();
  for (int n = 1; n <= 66; ++n) {
    const std::string id = (n < 10 ? "AMB-0" : "AMB-") + std::to_string(n);
    EXPECT_TRUE(c.ambiguities.count(id)) << id;
  }
  for (const Requirement& r : c.requirements) {
    for (const std::string& a : r.ambiguities) {
      EXPECT_TRUE(c.ambiguities.count(a)) << r.id << " " << a;
    }
  }
}

TEST(ShippedCatalogue, UntestableRowsSayWhy) {
  for (const char* id : {"MBX-GEN-07", "MBX-DES-10", "MBX-CLI-07", "MBX-PRIV-07"}) {
    const Requirement* r = shipped().find(id);
    ASSERT_NE(r, nullptr) << id;
    EXPECT_FALSE(r->testable) << id;
  }
  for (const Requirement& r : shipped().requirements) {
    EXPECT_EQ(r.testable, r.untestable_reason.empty()) << r.id;
    EXPECT_FALSE(r.check.empty()) << r.id;
  }
}

TEST(ShippedCatalogue, RelayRowsAreTheBulk) {
  std::size_t relay = 0;
  for (const Requirement& r : shipped().requirements) relay += r.binds == "relay";
  EXPECT_GT(relay, 100u);
  const Requirement* r = shipped().find("MBX-READ-05");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->section, "4.1, 8.1.1");
  EXPECT_EQ(r->keyword, "SHALL");
  EXPECT_EQ(r->level, Level::kMust);
  EXPECT_EQ(r->binds, "relay");
}

// ---- Digest and path ---------------------------------------------------------------------------

// A minimal valid catalogue; its SHA-256 was computed with sha256sum over these exact bytes.
constexpr const char* kMinimal =
    R"({"schema":"tigress-requirements/1","version":"t","sources":{"VIN":"v"},)"
    R"("levels":{"MUST":"m","SHOULD":"s","MAY":"y","ADVISORY":"a"},"notes":"n",)"
    R"("ambiguities":{"AMB-01":"x"},"requirements":[{"id":"MBX-A-01","section":"1",)"
    R"("source":"VIN","level":"MUST","keyword":"MUST","binds":"relay","paraphrase":"p",)"
    R"("check":"c","ambiguities":["AMB-01"],"strict":"s","acceptable":[],"testable":true}]})";

TEST(CatalogueDigest, IsSha256OfTheExactBytes) {
  Result<Catalogue> c = parse_catalogue(kMinimal);
  ASSERT_TRUE(c.ok()) << c.error().message();
  EXPECT_EQ(c->digest, "e6961ce171a9de3ceb922f6f9cb736ea578ca52c65aab21582b47683dba80508");
  Result<Catalogue> spaced = parse_catalogue(std::string(kMinimal) + "\n");
  ASSERT_TRUE(spaced.ok());
  EXPECT_NE(spaced->digest, c->digest);  // same content, other bytes: another digest
}

TEST(CatalogueDigest, LoadHashesTheFileAsStored) {
  Result<Catalogue> parsed = parse_catalogue(read_text(kShipped));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->digest, shipped().digest);
}

// Without overrides the suite reads the catalogue of its data folder, which in the build tree is
// the shipped file itself; TIGRESS_DATA_DIR moves the folder, TIGRESS_CATALOGUE the file.
TEST(CataloguePath, DataFolderUnlessOverridden) {
  const char* saved_catalogue = std::getenv("TIGRESS_CATALOGUE");
  const char* saved_data = std::getenv("TIGRESS_DATA_DIR");
  const std::string restore_catalogue = saved_catalogue ? saved_catalogue : "";
  const std::string restore_data = saved_data ? saved_data : "";
  ::unsetenv("TIGRESS_CATALOGUE");
  ::unsetenv("TIGRESS_DATA_DIR");
  std::error_code ec;
  EXPECT_TRUE(std::filesystem::equivalent(default_catalogue_path(), kShipped, ec))
      << default_catalogue_path() << " " << ec.message();
  ::setenv("TIGRESS_DATA_DIR", "/opt/suite-data", 1);
  EXPECT_EQ(default_catalogue_path(), "/opt/suite-data/requirements.json");
  ::setenv("TIGRESS_CATALOGUE", "/elsewhere/cat.json", 1);
  EXPECT_EQ(default_catalogue_path(), "/elsewhere/cat.json");
  if (saved_catalogue)
    ::setenv("TIGRESS_CATALOGUE", restore_catalogue.c_str(), 1);
  else
    ::unsetenv("TIGRESS_CATALOGUE");
  if (saved_data)
    ::setenv("TIGRESS_DATA_DIR", restore_data.c_str(), 1);
  else
    ::unsetenv("TIGRESS_DATA_DIR");
}

TEST(CatalogueFind, KnownAndUnknownIds) {
  Result<Catalogue> c = parse_catalogue(kMinimal);
  ASSERT_TRUE(c.ok());
  ASSERT_NE(c->find("MBX-A-01"), nullptr);
  EXPECT_EQ(c->find("MBX-A-01")->paraphrase, "p");
  EXPECT_EQ(c->find("MBX-A-02"), nullptr);
  EXPECT_EQ(level_name(Level::kAdvisory), "ADVISORY");
}

// ---- Malformed catalogues ----------------------------------------------------------------------

Error parse_error_of(const std::string& text) {
  Result<Catalogue> c = parse_catalogue(text);
  EXPECT_FALSE(c.ok()) << text.substr(0, 200);
  return c.ok() ? Error{} : c.error();
}

// Applies `edit` to the minimal catalogue and returns the error of the result.
template <class Edit>
Error error_after(Edit edit) {
  json doc = json::parse(kMinimal);
  edit(doc);
  return parse_error_of(doc.dump());
}

TEST(MalformedCatalogue, DuplicateIdNamesTheSecondEntry) {
  const Error e = error_after([](json& d) { d["requirements"].push_back(d["requirements"][0]); });
  EXPECT_EQ(e.field, "requirements[1].id");
  EXPECT_NE(e.reason.find("duplicate of requirements[0]"), std::string::npos) << e.reason;
}

TEST(MalformedCatalogue, BadLevel) {
  const Error e = error_after([](json& d) { d["requirements"][0]["level"] = "SHALL"; });
  EXPECT_EQ(e.message(), "requirements[0].level: must be one of MUST, SHOULD, MAY, ADVISORY");
}

TEST(MalformedCatalogue, MissingMember) {
  for (const char* name : {"id", "section", "source", "level", "keyword", "binds", "paraphrase", "check", "ambiguities",
                           "strict", "acceptable", "testable"}) {
    const Error e = error_after([&](json& d) { d["requirements"][0].erase(name); });
    EXPECT_EQ(e.field, std::string("requirements[0].") + name);
    EXPECT_EQ(e.reason, "missing member");
  }
  const Error top = error_after([](json& d) { d.erase("ambiguities"); });
  EXPECT_EQ(top.field, "ambiguities");
}

TEST(MalformedCatalogue, UntestableWithoutReason) {
  const Error e = error_after([](json& d) { d["requirements"][0]["testable"] = false; });
  EXPECT_EQ(e.field, "requirements[0].untestable_reason");
  // With a reason the same entry is accepted.
  json doc = json::parse(kMinimal);
  doc["requirements"][0]["testable"] = false;
  doc["requirements"][0]["untestable_reason"] = "policy only";
  EXPECT_TRUE(parse_catalogue(doc.dump()).ok());
}

TEST(MalformedCatalogue, UnknownAmbiguityReference) {
  const Error e = error_after([](json& d) { d["requirements"][0]["ambiguities"] = {"AMB-99"}; });
  EXPECT_EQ(e.field, "requirements[0].ambiguities[0]");
  EXPECT_NE(e.reason.find("AMB-99"), std::string::npos);
}

TEST(MalformedCatalogue, WrongTypesAndValues) {
  struct Case {
    std::function<void(json&)> edit;
    const char* field;
  };
  const Case cases[] = {
      {[](json& d) { d["requirements"][0]["testable"] = "yes"; }, "requirements[0].testable"},
      {[](json& d) { d["requirements"][0]["acceptable"] = {1}; }, "requirements[0].acceptable[0]"},
      {[](json& d) { d["requirements"][0]["binds"] = "server"; }, "requirements[0].binds"},
      {[](json& d) { d["requirements"][0]["source"] = "XYZ"; }, "requirements[0].source"},
      {[](json& d) { d["requirements"][0]["id"] = "mbx read 5"; }, "requirements[0].id"},
      {[](json& d) { d["requirements"][0]["paraphrase"] = "two\nlines"; }, "requirements[0].paraphrase"},
      {[](json& d) { d["requirements"][0]["section"] = ""; }, "requirements[0].section"},
      {[](json& d) { d["requirements"][0]["paraphase"] = "typo"; }, "requirements[0].paraphase"},
      {[](json& d) { d["requirements"][0]["untestable_reason"] = "but testable"; },
       "requirements[0].untestable_reason"},
      {[](json& d) { d["requirements"][0]["ambiguities"].push_back("AMB-01"); }, "requirements[0].ambiguities[1]"},
      {[](json& d) { d["requirements"][0]["profile"] = 3; }, "requirements[0].profile"},
      {[](json& d) { d["requirements"] = json::array(); }, "requirements"},
      {[](json& d) { d["requirements"] = json::object(); }, "requirements"},
      {[](json& d) { d["schema"] = "tigress-requirements/2"; }, "schema"},
      {[](json& d) { d["levels"].erase("MAY"); }, "levels.MAY"},
      {[](json& d) { d["ambiguities"]["AMB-02"] = 2; }, "ambiguities.AMB-02"},
      {[](json& d) { d["extra"] = true; }, "extra"},
  };
  for (const Case& c : cases) {
    json doc = json::parse(kMinimal);
    c.edit(doc);
    EXPECT_EQ(parse_error_of(doc.dump()).field, c.field);
  }
}

TEST(MalformedCatalogue, DuplicateMemberNameIsNotSilentlyDropped) {
  std::string text = kMinimal;
  const std::string level = R"("level":"MUST",)";
  text.insert(text.find(level), R"("level":"MAY",)");
  const Error e = parse_error_of(text);
  EXPECT_EQ(e.field, "requirements[0].level");
  EXPECT_EQ(e.reason, "duplicate member name");
}

TEST(MalformedCatalogue, SyntaxErrorsAreLocated) {
  const Error e = parse_error_of("{\n  \"schema\": \"tigress-requirements/1\",\n  oops\n}");
  EXPECT_EQ(e.field, "");
  EXPECT_NE(e.reason.find("line 3, column 3"), std::string::npos) << e.reason;
  EXPECT_FALSE(parse_catalogue("").ok());
  EXPECT_FALSE(parse_catalogue("[]").ok());
  EXPECT_FALSE(parse_catalogue(std::string("{\"schema\":\"\xff\"}")).ok());
}

TEST(MalformedCatalogue, EveryTruncationOfTheShippedFileIsRefused) {
  const std::string text = read_text(kShipped);
  ASSERT_FALSE(text.empty());
  for (std::size_t cut = 0; cut + 2 < text.size(); cut += 997) {
    EXPECT_FALSE(parse_catalogue(text.substr(0, cut)).ok()) << cut;
  }
}

TEST(MalformedCatalogue, MissingFile) {
  Result<Catalogue> c = load_catalogue(TIGRESS_SOURCE_DIR "/conformance/no-such-catalogue.json");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().reason.find("cannot open"), std::string::npos);
}

}  // namespace
}  // namespace tigress::conformance
