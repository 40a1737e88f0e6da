// The case-selection flags shared by the relay and client runners.
#include "conformance/framework/runner.hpp"

#include <gtest/gtest.h>

namespace tigress::conformance {
namespace {

TEST(TakeFilterFlag, AppliesEachSelectionFlag) {
  CaseFilter filter;
  for (const auto& [flag, value] : std::vector<std::pair<std::string, std::string>>{
           {"--id", "6.5/*"}, {"--section", "6.1"}, {"--category", "anti-replay"}, {"--level", "SHOULD"}}) {
    auto taken = take_filter_flag(flag, value, filter);
    ASSERT_TRUE(taken.ok()) << flag;
    EXPECT_TRUE(*taken) << flag;
  }
  EXPECT_EQ(filter.id_globs, std::vector<std::string>{"6.5/*"});
  EXPECT_EQ(filter.sections, std::vector<std::string>{"6.1"});
  ASSERT_EQ(filter.categories.size(), 1u);
  EXPECT_EQ(filter.categories[0], Category::kAntiReplay);
  ASSERT_EQ(filter.levels.size(), 1u);
  EXPECT_EQ(filter.levels[0], Level::kShould);
}

TEST(TakeFilterFlag, LeavesOtherFlagsAndRefusesBadValues) {
  CaseFilter filter;
  auto other = take_filter_flag("--target", "https://x", filter);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(*other);
  auto category = take_filter_flag("--category", "speed", filter);
  ASSERT_FALSE(category.ok());
  EXPECT_NE(category.error().message().find("unknown category speed"), std::string::npos);
  auto level = take_filter_flag("--level", "must", filter);
  ASSERT_FALSE(level.ok());
  EXPECT_NE(level.error().message().find("unknown level must"), std::string::npos);
  EXPECT_TRUE(filter.categories.empty());
  EXPECT_TRUE(filter.levels.empty());
}

}  // namespace
}  // namespace tigress::conformance
