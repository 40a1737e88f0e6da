// Reading what can be read of a refused request head: only whole, well-formed field lines.
#include "reference/relay/salvaged_head.hpp"

#include <gtest/gtest.h>

namespace tigress::relay {
namespace {

TEST(SalvagedHead, KeepsWholeWellFormedFieldLinesAndTheirOctets) {
  const Request seen = salvage_request_head(
      "BREW /x HTTP/1.1\r\nMailbox-Request-ID:  a%41b\xFF \r\nbroken line\r\nBad Name: v\r\nX-Ok: 1\r\n\r\nAfter: "
      "no\r\n");
  EXPECT_EQ(seen.method, "BREW");
  ASSERT_NE(seen.header("Mailbox-Request-ID"), nullptr);
  EXPECT_EQ(*seen.header("Mailbox-Request-ID"), "a%41b\xFF");
  EXPECT_EQ(seen.headers.size(), 2u);  // the ID and X-Ok; nothing past the blank line
  EXPECT_EQ(seen.header("After"), nullptr);
}

TEST(SalvagedHead, LeavesOutCutOffLinesAndControlCharacters) {
  const Request seen =
      salvage_request_head("X-Cr: a\rb\r\nX-Nul: a" + std::string(1, '\0') + "b\r\nX-Cut: partial", false);
  EXPECT_TRUE(seen.method.empty());
  EXPECT_TRUE(seen.headers.empty());
}

TEST(SalvagedHead, ReadsFieldsWhenTheRequestLineWasAlreadyTaken) {
  const Request seen = salvage_request_head("Mailbox-Request-ID: id-1\r\nX-Huge: aaaa", false);
  ASSERT_NE(seen.header("Mailbox-Request-ID"), nullptr);
  EXPECT_EQ(*seen.header("Mailbox-Request-ID"), "id-1");
}

}  // namespace
}  // namespace tigress::relay
