// The vocabulary against the draft's table of endpoints (section 6), written out here by hand.
#include "harness/protocol/vocabulary.hpp"

#include <gtest/gtest.h>

namespace tigress::protocol {
namespace {

constexpr const char* kId = "0b7e3f4a-1c2d-4e5f-8a9b-0c1d2e3f4a5b";

struct Row {
  Endpoint endpoint;
  const char* method;
  bool on_collection;
};
// Draft 6.1-6.6.
const Row kTable[] = {{Endpoint::kCreate, "POST", true},       {Endpoint::kRead, "POST", false},
                      {Endpoint::kUpdate, "PUT", false},       {Endpoint::kDelete, "DELETE", false},
                      {Endpoint::kRelinquish, "PATCH", false}, {Endpoint::kPreview, "GET", false}};

TEST(Vocabulary, BuiltRequestsClassifyAsTheirEndpoint) {
  for (const Row& row : kTable) {
    const std::string target = row.on_collection ? collection_path("/base") : mailbox_path("/base", kId);
    const auto request = build_request(row.endpoint, target, {"claim", "rid", "{}"});
    EXPECT_EQ(request.method, row.method);
    EXPECT_EQ(request.target, row.on_collection ? "/base/v1/m" : std::string("/base/v1/m/") + kId);
    // The base path is the target's business, not the vocabulary's: classify sees what follows it.
    const auto c = classify(request.method, request.target.substr(5));
    EXPECT_EQ(c.endpoint, row.endpoint) << endpoint_name(row.endpoint);
    EXPECT_EQ(c.resource, row.on_collection ? Resource::kCollection : Resource::kMailbox);
    EXPECT_EQ(c.mailbox, row.on_collection ? "" : kId);
  }
}

TEST(Vocabulary, AFragmentInTheTargetDoesNotHideTheEndpoint) {
  // A leaked share-URL secret after '#' may contain '/' (standard base64): still a preview.
  const auto c = classify("GET", std::string("/v1/m/") + kId + "#ab/cd+ef==");
  EXPECT_EQ(c.endpoint, Endpoint::kPreview);
  EXPECT_EQ(c.mailbox, kId);
  EXPECT_EQ(classify("POST", "/v1/m#x/y").endpoint, Endpoint::kCreate);
}

TEST(Vocabulary, AttemptsBelowTheCollectionCountAsTheirMethodsEndpoint) {
  // classify refuses these targets; a client that sends them still tried the endpoint.
  EXPECT_EQ(classify("POST", "/v1/m/").endpoint, Endpoint::kUnknown);
  EXPECT_EQ(classify_attempt("POST", "/v1/m/").endpoint, Endpoint::kCreate);
  const auto read = classify_attempt("POST", std::string("/v1/m/") + kId + "%23ab/cd");
  EXPECT_EQ(read.endpoint, Endpoint::kRead);
  EXPECT_EQ(read.mailbox, std::string(kId) + "%23ab");  // the first segment, as sent
  EXPECT_EQ(classify_attempt("GET", "/v1/m/x/y").endpoint, Endpoint::kPreview);
  EXPECT_EQ(classify_attempt("PUT", "/v1/m").endpoint, Endpoint::kUnknown);
  EXPECT_EQ(classify_attempt("POST", "/v2/m/x").endpoint, Endpoint::kUnknown);
  EXPECT_EQ(classify_attempt("HEAD", "/v1/m/x").endpoint, Endpoint::kUnknown);
}

TEST(Vocabulary, BuilderHeadersInOrderAndOnlyWhenGiven) {
  auto full = build_request(Endpoint::kUpdate, "/v1/m/x", {"c", "r", "{\"a\":1}"});
  ASSERT_EQ(full.headers.size(), 3U);
  EXPECT_EQ(full.headers[0], (std::pair<std::string, std::string>{"Mailbox-Device-Claim", "c"}));
  EXPECT_EQ(full.headers[1], (std::pair<std::string, std::string>{"Mailbox-Request-ID", "r"}));
  EXPECT_EQ(full.headers[2], (std::pair<std::string, std::string>{"Content-Type", "application/json"}));
  EXPECT_EQ(full.body, "{\"a\":1}");
  const auto bare = build_request(Endpoint::kPreview, "/v1/m/x?v=c", {std::nullopt, std::string(), ""});
  EXPECT_TRUE(bare.headers.empty());
  EXPECT_EQ(bare.target, "/v1/m/x?v=c");
  EXPECT_EQ(classify(bare.method, bare.target).endpoint, Endpoint::kPreview);  // the query is ignored
}

TEST(Vocabulary, UnknownPathsAndMethodsAddressNoEndpoint) {
  for (const char* path : {"/", "/v1", "/v1/m/", "/v1/m/a/b", "/v2/m/x", "//v1/m/x", "/v1/M/x", "/v1/mx", "v1/m"}) {
    for (const char* method : {"POST", "GET"}) {
      const auto c = classify(method, path);
      EXPECT_EQ(c.endpoint, Endpoint::kUnknown) << method << " " << path;
      EXPECT_EQ(c.resource, Resource::kOther) << path;
    }
  }
  for (const char* method : {"post", "HEAD", "OPTIONS", "FOO", ""}) {
    EXPECT_EQ(classify(method, "/v1/m/x").endpoint, Endpoint::kUnknown) << method;
    EXPECT_EQ(classify(method, "/v1/m/x").resource, Resource::kMailbox) << method;
  }
  for (const char* method : {"GET", "PUT", "DELETE", "PATCH", "HEAD"}) {
    EXPECT_EQ(classify(method, "/v1/m").endpoint, Endpoint::kUnknown) << method;
    EXPECT_EQ(classify(method, "/v1/m").resource, Resource::kCollection) << method;
  }
  EXPECT_EQ(method_of(Endpoint::kUnknown), "");
  EXPECT_EQ(endpoint_name(Endpoint::kUnknown), "unknown");
}

TEST(Vocabulary, NamesOfTheDraft) {
  EXPECT_EQ(operation_name(Endpoint::kCreate), "CreateMailbox");
  EXPECT_EQ(operation_name(Endpoint::kRead), "ReadSecureContentFromMailbox");
  EXPECT_EQ(operation_name(Endpoint::kPreview), "ReadDisplayInformationFromMailbox");
  EXPECT_EQ(endpoint_name(Endpoint::kRelinquish), "Relinquish");
  EXPECT_TRUE(is_draft_method("HEAD"));
  EXPECT_TRUE(is_draft_method("PATCH"));
  EXPECT_FALSE(is_draft_method("OPTIONS"));
  EXPECT_FALSE(is_draft_method("get"));
}

TEST(Vocabulary, NormalisedTargets) {
  EXPECT_EQ(normalise_target("/v1/%6d/x"), "/v1/m/x");
  EXPECT_EQ(normalise_target("/v1/m/../m/x?v=%6d"), "/v1/m/x?v=%6d");
  EXPECT_EQ(normalise_target("/v1/m/%2e%2e/m"), "/v1/m");
  EXPECT_EQ(normalise_target("/v1/m/./x/."), "/v1/m/x/");
  EXPECT_EQ(normalise_target("/../.."), "/");
  EXPECT_EQ(normalise_target("/v1/m/x%zz%4"), "/v1/m/x%zz%4");  // not escapes: kept
}

TEST(Vocabulary, LinkTargetsAndIds) {
  EXPECT_EQ(link_target(std::string("https://r.example:8443/p/v1/m/") + kId + "#frag"), std::string("/p/v1/m/") + kId);
  EXPECT_EQ(link_target("https://r.example/v1/m/x?t=1#f"), "/v1/m/x?t=1");
  EXPECT_EQ(link_target("https://r.example"), "/");
  EXPECT_EQ(link_target("https://r.example?q"), "/?q");
  EXPECT_EQ(mailbox_id_of("https://r.example/v1/m/abc?t=1#f"), "abc");
  EXPECT_EQ(mailbox_id_of("/v1/m/abc"), "abc");
}

TEST(Vocabulary, FrontEndAnswers) {
  harness::HttpRequest request = build_request(Endpoint::kCreate, "/v1/m", {"c", "r", "{}"});
  EXPECT_FALSE(front_end_may_answer(request));
  request.method = "PROPFIND";
  EXPECT_TRUE(front_end_may_answer(request));
  request.method = "POST";
  request.headers.emplace_back("X-Big", std::string(8 * 1024 + 1, 'x'));
  EXPECT_TRUE(front_end_may_answer(request));
  request.headers.back() = {"content-type", "Multipart/form-data; boundary=x"};
  EXPECT_TRUE(front_end_may_answer(request));
  EXPECT_TRUE(is_front_end_limit(413));
  EXPECT_TRUE(is_front_end_limit(431));
  EXPECT_FALSE(is_front_end_limit(400));
}

}  // namespace
}  // namespace tigress::protocol
