// Case metadata against the catalogue: the id's section segment, the level and the citations.
#include "conformance/framework/case_metadata.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace tigress::conformance {
namespace {

Catalogue small_catalogue() {
  Catalogue catalogue;
  auto add = [&](std::string id, std::string section, Level level, std::string binds) {
    Requirement r;
    r.id = std::move(id);
    r.section = std::move(section);
    r.level = level;
    r.binds = std::move(binds);
    catalogue.index.emplace(r.id, catalogue.requirements.size());
    catalogue.requirements.push_back(std::move(r));
  };
  add("MBX-READ-05", "4.1, 8.1.1", Level::kMust, "relay");
  add("MBX-RID-05", "5.1", Level::kMay, "client");
  add("MBX-PRIV-05", "8.2.2", Level::kMust, "client");
  return catalogue;
}

CaseDefinition definition(std::string id, std::string section, Level level, std::vector<std::string> cited) {
  return CaseDefinition{std::move(id), std::move(section), Category::kAntiReplay, level, std::move(cited), "t", {},
                        false};
}

bool mentions(const std::vector<std::string>& problems, const std::string& text) {
  return std::any_of(problems.begin(), problems.end(),
                     [&](const std::string& p) { return p.find(text) != std::string::npos; });
}

TEST(CaseIdSection, IsTheSegmentAfterTheSuitePrefix) {
  EXPECT_EQ(case_id_section("6.5/second-reader-refused", CaseSuite::kRelay), "6.5");
  EXPECT_EQ(case_id_section("client/8.2.2/tokens", CaseSuite::kClient), "8.2.2");
  EXPECT_EQ(case_id_section("client/8.2.2/tokens", CaseSuite::kRelay), "client");
  EXPECT_EQ(case_id_section("6.5/x", CaseSuite::kClient), "");
  EXPECT_EQ(case_id_section("no-slash", CaseSuite::kRelay), "");
}

TEST(CaseMetadata, AgreeingCaseHasNoProblems) {
  const Catalogue catalogue = small_catalogue();
  EXPECT_TRUE(case_metadata_problems(definition("6.5/second-reader-refused", "6.5", Level::kMust, {"MBX-READ-05"}),
                                     catalogue, CaseSuite::kRelay)
                  .empty());
  EXPECT_TRUE(case_metadata_problems(definition("client/5.1/retry", "5.1", Level::kMay, {"MBX-RID-05", "MBX-PRIV-05"}),
                                     catalogue, CaseSuite::kClient)
                  .empty());
}

TEST(CaseMetadata, IdSectionMustBeTheDeclaredSection) {
  const auto problems = case_metadata_problems(
      definition("client/4.1/notification-tokens-not-reused", "8.2.2", Level::kMust, {"MBX-PRIV-05"}),
      small_catalogue(), CaseSuite::kClient);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_TRUE(mentions(problems, "names section 4.1 but the case declares section 8.2.2")) << problems[0];
}

TEST(CaseMetadata, IdWithoutSectionSegmentIsRefused) {
  EXPECT_TRUE(mentions(case_metadata_problems(definition("client/x", "5.1", Level::kMay, {"MBX-RID-05"}),
                                              small_catalogue(), CaseSuite::kClient),
                       "no section segment"));
}

TEST(CaseMetadata, LevelMustBeOneOfTheCitedLevels) {
  const auto problems = case_metadata_problems(
      definition("client/5.1/retry-on-read-keeps-request-id", "5.1", Level::kMust, {"MBX-RID-05"}), small_catalogue(),
      CaseSuite::kClient);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_TRUE(mentions(problems, "is MUST but none of its requirements is (MBX-RID-05 MAY)")) << problems[0];
}

TEST(CaseMetadata, UnknownCitationAndNoCitationAreRefused) {
  const Catalogue catalogue = small_catalogue();
  EXPECT_TRUE(mentions(
      case_metadata_problems(definition("6.5/x", "6.5", Level::kMust, {"MBX-NONE-01"}), catalogue, CaseSuite::kRelay),
      "cites MBX-NONE-01, which the catalogue lacks"));
  EXPECT_TRUE(
      mentions(case_metadata_problems(definition("6.5/x", "6.5", Level::kMust, {}), catalogue, CaseSuite::kRelay),
               "cites no requirement"));
}

TEST(CaseMetadata, ClientCasesCiteOnlyClientRows) {
  const auto problems = case_metadata_problems(definition("client/4.1/x", "4.1", Level::kMust, {"MBX-READ-05"}),
                                               small_catalogue(), CaseSuite::kClient);
  EXPECT_TRUE(mentions(problems, "cites MBX-READ-05, which binds relay"));
  EXPECT_TRUE(case_metadata_problems(definition("4.1/x", "4.1", Level::kMust, {"MBX-READ-05"}), small_catalogue(),
                                     CaseSuite::kRelay)
                  .empty());
}

}  // namespace
}  // namespace tigress::conformance
