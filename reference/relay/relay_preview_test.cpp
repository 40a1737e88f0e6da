// ReadDisplayInformationFromMailbox: the OpenGraph page (draft 6.4, 8.1.2, 8.1.3).
#include <gtest/gtest.h>

#include "reference/relay/preview.hpp"
#include "reference/relay/relay_test_support.hpp"

namespace tigress::relay::testing {
namespace {

TEST(Preview, EscapesEveryHtmlSpecialCharacter) {
  EXPECT_EQ(html_escape(R"(<a href="x" onclick='y'>&amp;</a>)"),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
  EXPECT_EQ(html_escape("Schlüssel 🔑"), "Schlüssel 🔑");
}

TEST(Preview, ServesOpenGraphTagsWithRestrictiveHeaders) {
  RelayHarness relay;
  auto id = relay.create_id(fresh_uuid());
  auto response = relay.preview(id);
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.header("Content-Type")->rfind("text/html", 0), 0u);
  for (const char* tag : {R"(<meta property="og:title" content="Car Key">)",
                          R"(<meta property="og:description" content="A key to my car">)",
                          R"(<meta property="og:image" content="https://example.com/car.png">)",
                          R"(<html prefix="og: https://ogp.me/ns#">)"}) {
    EXPECT_NE(response.body.find(tag), std::string::npos) << tag;
  }
  const std::string csp = *response.header("Content-Security-Policy");
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(*response.header("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(response.body.find("<script"), std::string::npos);
}

TEST(Preview, NeverContainsPayloadClaimsOrTokens) {
  RelayHarness relay;
  const std::string initiator = fresh_uuid();
  auto body = create_body();
  body["payload"]["data"] = "U0VDUkVUUEFZTE9BRERBVEE=";
  body["notificationToken"] = {{"type", "com.apple.apns"}, {"tokenData", "TOKEN-0123456789"}};
  auto id = relay.create_id(initiator, body);
  auto page = relay.preview(id).body;
  for (const std::string& secret :
       {std::string("U0VDUkVUUEFZTE9BRERBVEE="), std::string("AEAD_AES"), initiator, std::string("TOKEN-0123456789")}) {
    EXPECT_EQ(page.find(secret), std::string::npos) << secret;
  }
}

TEST(Preview, InjectionAttemptsStayInert) {
  RelayHarness relay;
  auto body = create_body();
  body["displayInformation"] = {{"title", "\"><script>alert(1)</script>"},
                                {"description", "</title><img src=x onerror=alert(1)>"},
                                {"imageURL", "https://e.example/a\"onerror=\"x"}};
  auto page = relay.preview(relay.create_id(fresh_uuid(), body)).body;
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("<img"), std::string::npos);
  EXPECT_EQ(page.find("\"onerror"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
}

TEST(Preview, NeitherBindsNorDependsOnBindingOrQuery) {
  RelayHarness relay;
  const std::string initiator = fresh_uuid(), r1 = fresh_uuid(), r2 = fresh_uuid();
  auto id = relay.create_id(initiator);
  auto plain = relay.preview(id);
  EXPECT_EQ(relay.send("GET", "/v1/m/" + id, r2, std::nullopt).status, 200) << "claim on GET ignored";
  EXPECT_EQ(relay.preview(id, "v=c").body, plain.body);
  ASSERT_EQ(relay.read(id, r1).status, 200) << "preview must not have bound anybody";
  EXPECT_EQ(relay.preview(id).status, 200);
  ASSERT_EQ(relay.relinquish(id, r1).status, 200);
  EXPECT_EQ(relay.preview(id).status, 200);
}

TEST(Preview, UnknownMailboxIsNotFound) {
  RelayHarness relay;
  EXPECT_EQ(relay.preview(fresh_uuid()).status, 404);
}

}  // namespace
}  // namespace tigress::relay::testing
