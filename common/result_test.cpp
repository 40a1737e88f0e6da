#include "common/result.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>

namespace {

using tigress::Error;
using tigress::Result;
using tigress::Status;

Result<int> halve(int n) {
  if (n % 2 != 0) return tigress::field_error("n", "odd number " + std::to_string(n));
  return n / 2;
}

TEST(ResultType, HoldsEitherTheValueOrTheError) {
  const Result<int> even = halve(10);
  ASSERT_TRUE(even.ok());
  EXPECT_TRUE(static_cast<bool>(even));
  EXPECT_EQ(even.value(), 5);
  EXPECT_EQ(*even, 5);

  const Result<int> odd = halve(3);
  ASSERT_FALSE(odd.ok());
  EXPECT_FALSE(static_cast<bool>(odd));
  EXPECT_EQ(odd.error().field, "n");
  EXPECT_EQ(odd.error().reason, "odd number 3");
}

TEST(ResultType, MessageNamesTheFieldOnlyWhenThereIsOne) {
  EXPECT_EQ(tigress::field_error("payload.data", "not base64").message(), "payload.data: not base64");
  const Error whole = tigress::make_error("empty body");
  EXPECT_TRUE(whole.field.empty());
  EXPECT_EQ(whole.message(), "empty body");
}

TEST(ResultType, MovesAMoveOnlyValueOut) {
  Result<std::unique_ptr<std::string>> held = std::make_unique<std::string>("kept");
  ASSERT_TRUE(held.ok());
  EXPECT_EQ(*held->get(), "kept");
  std::unique_ptr<std::string> taken = std::move(held).value();
  ASSERT_NE(taken, nullptr);
  EXPECT_EQ(*taken, "kept");
}

TEST(ResultType, StatusIsOkByDefaultAndFailsWithAnError) {
  const Status fine;
  EXPECT_TRUE(fine.ok());
  const Status failed = tigress::make_error("relay unreachable");
  EXPECT_FALSE(failed.ok());
  EXPECT_FALSE(static_cast<bool>(failed));
  EXPECT_EQ(failed.error().message(), "relay unreachable");
}

}  // namespace
