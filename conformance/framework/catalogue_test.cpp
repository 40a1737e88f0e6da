// The requirement catalogue: the shipped file loads and covers every row of the digest it is
// derived from, and a damaged catalogue is refused with the path of the damage.
#include "conformance/framework/catalogue.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace tigress::conformance {
namespace {

using nlohmann::json;

const std::string kShipped = TIGRESS_SOURCE_DIR "/conformance/requirements.json";
// The digest lives beside the project in the shared tree, like the third-party corpora.
const std::string kDigest = TIGRESS_SOURCE_DIR "/../shared/spec/requirements-digest.md";

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Ids of the digest's table rows whose first cell starts with `prefix`, read at test time so a
// row added to the digest and forgotten in the catalogue fails here.
std::set<std::string> digest_ids(const std::string& prefix) {
  std::ifstream in(kDigest);
  const std::regex row("^\\| (" + prefix + "[A-Z0-9-]*[0-9]) \\|");
  std::set<std::string> ids;
  std::string line;
  std::smatch match;
  while (std::getline(in, line)) {
    if (std::regex_search(line, match, row)) ids.insert(match[1]);
  }
  return ids;
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

TEST(ShippedCatalogue, HasEveryMbxRowOfTheDigest) {
  const std::set<std::string> expected = digest_ids("MBX-");
  ASSERT_GT(expected.size(), 140u) << "digest not found or its tables changed shape: " << kDigest;
  for (const std::string& id : expected) EXPECT_NE(shipped().find(id), nullptr) << id;
  // And nothing invented: every MBX entry traces back to a digest row.
  for (const Requirement& r : shipped().requirements) {
    if (r.id.rfind("MBX-", 0) == 0) {
      EXPECT_TRUE(expected.count(r.id)) << r.id;
    }
  }
}

TEST(ShippedCatalogue, HasEveryThreatModelRowOfTheDigest) {
  const std::set<std::string> expected = digest_ids("TM-");
  ASSERT_GE(expected.size(), 20u) << kDigest;
  for (const std::string& id : expected) {
    const Requirement* r = shipped().find(id);
    ASSERT_NE(r, nullptr) << id;
    EXPECT_EQ(r->level, Level::kAdvisory) << id;  // threat-model items are never normative
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

TEST(CataloguePath, EnvironmentOverridesTheSourceTree) {
  const char* saved = std::getenv("TIGRESS_CATALOGUE");
  const std::string restore = saved ? saved : "";
  ::unsetenv("TIGRESS_CATALOGUE");
  EXPECT_EQ(default_catalogue_path(), kShipped);
  ::setenv("TIGRESS_CATALOGUE", "/elsewhere/cat.json", 1);
  EXPECT_EQ(default_catalogue_path(), "/elsewhere/cat.json");
  if (saved) ::setenv("TIGRESS_CATALOGUE", restore.c_str(), 1);
  else ::unsetenv("TIGRESS_CATALOGUE");
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
  for (const char* name : {"id", "section", "source", "level", "keyword", "binds", "paraphrase",
                           "check", "ambiguities", "strict", "acceptable", "testable"}) {
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
      {[](json& d) { d["requirements"][0]["paraphrase"] = "two\nlines"; },
       "requirements[0].paraphrase"},
      {[](json& d) { d["requirements"][0]["section"] = ""; }, "requirements[0].section"},
      {[](json& d) { d["requirements"][0]["paraphase"] = "typo"; }, "requirements[0].paraphase"},
      {[](json& d) { d["requirements"][0]["untestable_reason"] = "but testable"; },
       "requirements[0].untestable_reason"},
      {[](json& d) { d["requirements"][0]["ambiguities"].push_back("AMB-01"); },
       "requirements[0].ambiguities[1]"},
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
