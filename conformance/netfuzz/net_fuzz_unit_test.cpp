// Unit tests of the network fuzzer's parts that need no relay: the seeded stream, variable
// substitution, endpoint names, the minimiser, the reproducer files and the command line.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include <gtest/gtest.h>

#include "conformance/netfuzz/json_mutation.hpp"
#include "conformance/netfuzz/net_fuzz_minimise.hpp"
#include "conformance/netfuzz/net_fuzz_mutators.hpp"
#include "conformance/netfuzz/net_fuzz_options.hpp"
#include "conformance/netfuzz/net_fuzz_reproducer.hpp"
#include "reference/relay/relay.hpp"

namespace tigress::fuzz {
namespace {

std::string render(const NetSequence& steps) {
  std::string out;
  for (const auto& r : steps) {
    out += r.method + " " + r.path + (r.chunked ? " chunked" : "") + "\n";
    for (const auto& [n, v] : r.headers) out += n + ": " + v + "\n";
    out += r.body + "\n--\n";
  }
  return out;
}

TEST(NetFuzzStream, SameSeedSameRequestsOtherSeedOthers) {
  RequestGenerator a(42, 1), b(42, 1), c(43, 1);
  std::string stream_a, stream_b, stream_c;
  for (int i = 0; i < 200; ++i) {
    Bindings ba, bb, bc;
    stream_a += render(a.next_sequence(12, ba)) + ba.claims[1];
    stream_b += render(b.next_sequence(12, bb)) + bb.claims[1];
    stream_c += render(c.next_sequence(12, bc)) + bc.claims[1];
  }
  EXPECT_EQ(stream_a, stream_b);
  EXPECT_NE(stream_a, stream_c);
}

// A second run of a seed sends the same requests under other claims, so a relay that remembers
// the first run's request IDs per claim answers the second run afresh.
TEST(NetFuzzStream, AnotherClaimSeedKeepsTheRequestsAndChangesEveryClaim) {
  RequestGenerator first(42, 1), second(42, 2);
  std::set<std::string> first_claims;
  std::string requests_first, requests_second;
  std::vector<Bindings> second_bindings;
  for (int i = 0; i < 200; ++i) {
    Bindings b1, b2;
    requests_first += render(first.next_sequence(12, b1));
    requests_second += render(second.next_sequence(12, b2));
    first_claims.insert(b1.claims.begin(), b1.claims.end());
    second_bindings.push_back(b2);
  }
  EXPECT_EQ(requests_first, requests_second);
  for (const auto& bindings : second_bindings) {
    for (const auto& claim : bindings.claims) EXPECT_EQ(first_claims.count(claim), 0U) << claim;
  }
}

TEST(NetFuzzStream, CoversEveryEndpointAndMutationClass) {
  RequestGenerator generator(7, 7);
  std::set<std::string> endpoints;
  for (int i = 0; i < 400; ++i) {
    Bindings bindings;
    for (const auto& r : generator.next_sequence(12, bindings)) endpoints.insert(endpoint_of(r));
  }
  for (const char* e : {"create", "read", "update", "delete", "relinquish", "preview"}) {
    EXPECT_EQ(endpoints.count(e), 1U) << e;
  }
  for (std::size_t i = 0; i < kMutationClassCount; ++i) {
    EXPECT_GT(generator.mutation_counts()[i], 0U) << mutation_class_name(static_cast<MutationClass>(i));
  }
}

// The long strings are set aside and copied back in; whatever the document, the bytes are
// nlohmann's, and the document is left as it was.
TEST(NetFuzzJson, DumpIsNlohmannsByteForByte) {
  using Json = nlohmann::json;
  const std::string long_a(65536, 'A'), long_p(300, 'p');
  std::vector<Json> documents = {
      Json::object(),
      Json{{"payload", {{"type", "T"}, {"data", long_a}}}, {"pad", long_p}},
      Json{{"a", Json::array({long_a, 1, nullptr, long_p, Json{{"b", long_a}}})}},
      Json{{long_p, long_a}},                                          // a long key stays in the dump
      Json{{"q", std::string(400, '"')}, {"e", long_a + "\xc3\xa9"}},  // escaped: dumped by nlohmann
      Json{{"x", long_a}, {"y", "\x01netfuzz-long-string-0\x01"}},     // spells the placeholder
      Json{{"x", long_a}, {"\x01netfuzz-long-string-0\x01", 1}},
      Json::array({std::string(255, 'A'), std::string(256, 'A'), std::string(257, '~')}),
  };
  // As deep as a body the mutators still parse and dump (parse_for_mutation).
  Json deep = long_a;
  for (std::size_t i = 0; i < kMaxStructuredDepth; ++i) deep = Json::array({deep});
  documents.push_back(deep);
  for (auto& document : documents) {
    const Json before = document;
    EXPECT_EQ(dump_json(document), before.dump());
    EXPECT_EQ(document, before);
  }
}

TEST(NetFuzzJson, BodiesNestedBeyondTheBoundAreMutatedAsText) {
  using Json = nlohmann::json;
  for (const bool arrays : {true, false}) {
    const Json at_bound = parse_for_mutation(nested(kMaxStructuredDepth, arrays));
    ASSERT_FALSE(at_bound.is_discarded());
    EXPECT_EQ(at_bound.dump(), nested(kMaxStructuredDepth, arrays));
    EXPECT_TRUE(parse_for_mutation(nested(kMaxStructuredDepth + 1, arrays)).is_discarded());
    EXPECT_TRUE(parse_for_mutation(nested(5000, arrays)).is_discarded());
  }
  // Brackets inside strings, escaped quotes included, are not nesting.
  const std::string brackets_in_a_string = "{\"a\":\"\\\"" + std::string(1000, '[') + "\"}";
  EXPECT_EQ(parse_for_mutation(brackets_in_a_string), Json::parse(brackets_in_a_string));
  EXPECT_TRUE(parse_for_mutation("{\"a\":").is_discarded());
}

TEST(NetFuzzRequest, SubstitutesOnlyOurVariables) {
  Bindings b;
  b.claims = {"aaaaaaaa-0000-4000-8000-000000000000", "bbbbbbbb-0000-4000-8000-000000000000", "c"};
  EXPECT_EQ(b.substitute("/v1/m/${MAILBOX}"), "/v1/m/" + std::string(kUnknownMailbox));
  b.mailbox = "0123abcd-0000-4000-8000-000000000000";
  EXPECT_EQ(b.substitute("${MAILBOX_UPPER}/${CLAIM1}/${HOME}/${"),
            "0123ABCD-0000-4000-8000-000000000000/"
            "bbbbbbbb-0000-4000-8000-000000000000/${HOME}/${");
  NetRequest r{"POST", "/v1/m/${MAILBOX}", {{"Mailbox-Device-Claim", "${CLAIM0_UPPER}"}}, "abcdefghijklmnop", true};
  const auto http = to_http(r, b, "/base");
  EXPECT_EQ(http.target, "/base/v1/m/0123abcd-0000-4000-8000-000000000000");
  EXPECT_EQ(http.headers[0].second, "AAAAAAAA-0000-4000-8000-000000000000");
  EXPECT_EQ(http.body, "7\r\nabcdefg\r\n9\r\nhijklmnop\r\n0\r\n\r\n");
  EXPECT_EQ(endpoint_of(r), "read");
  r.method = "FOO";
  EXPECT_EQ(endpoint_of(r), "FOO mailbox");
  r.path = "/v1/m";
  EXPECT_EQ(endpoint_of(r), "FOO collection");
}

TEST(NetFuzzMinimise, KeepsOnlyTheStepsTheFindingNeeds) {
  NetSequence steps;
  for (int i = 0; i < 10; ++i) steps.push_back(NetRequest{"M" + std::to_string(i), "/", {}, "", false});
  // The "bug" needs M2 and M7 in that order.
  const auto needs = [](const NetSequence& s) {
    int seen = 0;
    for (const auto& r : s) {
      if (r.method == "M2" && seen == 0) seen = 1;
      if (r.method == "M7" && seen == 1) seen = 2;
    }
    return seen == 2;
  };
  const Minimised m = minimise_sequence(steps, needs, 100);
  ASSERT_TRUE(m.confirmed);
  ASSERT_EQ(m.steps.size(), 2U);
  EXPECT_EQ(m.steps[0].method, "M2");
  EXPECT_EQ(m.steps[1].method, "M7");
  const Minimised bounded = minimise_sequence(steps, needs, 3);
  EXPECT_LE(bounded.replays, 3);
  const Minimised flaky = minimise_sequence(
      steps, [](const NetSequence&) { return false; }, 100);
  EXPECT_FALSE(flaky.confirmed);
  EXPECT_EQ(flaky.steps.size(), steps.size());
}

TEST(NetFuzzReproducer, JsonRoundTripAndScriptParses) {
  const auto dir = std::filesystem::temp_directory_path() / ("netfuzz-unit-" + std::to_string(::getpid()));
  Reproducer r;
  r.finding = Finding{"5xx", "read", "500", "status 500: it's \"bad\"", 1};
  r.steps = {
      NetRequest{
          "POST", "/v1/m", {{"Mailbox-Device-Claim", "${CLAIM0}"}, {"Content-Type", ""}}, "{\"a\":\"%s'\\\"}", false},
      NetRequest{"HEAD", "/v1/m/${MAILBOX}?v=1", {{"X", "it's $HOME `x`"}}, std::string("\x00\xff\x80z", 4), true}};
  r.seed = 9;
  r.original_steps = 5;
  r.minimised = true;
  auto saved = save_reproducer(r, dir.string());
  ASSERT_TRUE(saved.ok()) << saved.error().message();
  auto loaded = load_reproducer(saved->json_path);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message();
  EXPECT_EQ(loaded->finding.key(), r.finding.key());
  ASSERT_EQ(loaded->steps.size(), 2U);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(loaded->steps[i].method, r.steps[i].method);
    EXPECT_EQ(loaded->steps[i].path, r.steps[i].path);
    EXPECT_EQ(loaded->steps[i].headers, r.steps[i].headers);
    EXPECT_EQ(loaded->steps[i].body, r.steps[i].body);
    EXPECT_EQ(loaded->steps[i].chunked, r.steps[i].chunked);
  }
  EXPECT_EQ(std::system(("bash -n '" + saved->script_path + "'").c_str()), 0);
  // The body printf writes the exact bytes.
  const std::string script = reproducer_script(r);
  const auto at = script.find("printf '\\000");
  ASSERT_NE(at, std::string::npos);
  const std::string line = script.substr(at, script.find('\n', at) - at);
  const std::string bytes_file = (dir / "bytes").string();
  const std::string command_file = (dir / "printf.sh").string();
  std::ofstream(command_file) << line.substr(0, line.find(" >")) << " > '" << bytes_file << "'\n";
  ASSERT_EQ(std::system(("bash '" + command_file + "'").c_str()), 0) << line;
  std::ifstream in(bytes_file, std::ios::binary);
  std::string written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(written, r.steps[1].body);
  std::filesystem::remove_all(dir);
}

TEST(NetFuzzReproducer, RejectsOtherFiles) {
  const auto path = std::filesystem::temp_directory_path() / ("netfuzz-bad-" + std::to_string(::getpid()) + ".json");
  std::ofstream(path) << R"({"format":"tigress-netfuzz-reproducer/1","finding":{"class":1},"steps":[]})";
  EXPECT_FALSE(load_reproducer(path.string()).ok());
  std::ofstream(path, std::ios::trunc) << "[]";
  EXPECT_FALSE(load_reproducer(path.string()).ok());
  std::filesystem::remove(path);
}

TEST(NetFuzzOptions, Flags) {
  auto o = parse_netfuzz_options({"--target", "https://r", "--insecure", "--seed", "5"});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->duration_s, 60);  // the default bound
  EXPECT_EQ(o->seed, 5U);
  // The documented default is the reference relay's configured limit.
  EXPECT_EQ(o->max_request_id_bytes, relay::RelayConfig{}.max_request_id_bytes);
  o = parse_netfuzz_options({"--target", "https://r", "--insecure", "--max-request-id-bytes", "64"});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->max_request_id_bytes, 64U);
  EXPECT_FALSE(parse_netfuzz_options({"--target", "https://r", "--insecure", "--max-request-id-bytes", "0"}).ok());
  o = parse_netfuzz_options({"--target", "https://r", "--ca", "x", "--sequences", "3", "--duration", "2m"});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->duration_s, 120);
  EXPECT_EQ(o->sequences, 3);
  EXPECT_FALSE(parse_netfuzz_options({"--target", "https://r"}).ok());  // no trust choice
  EXPECT_FALSE(parse_netfuzz_options({"--target", "https://r", "--insecure", "--ca", "x"}).ok());
  EXPECT_FALSE(parse_netfuzz_options({"--insecure"}).ok());  // no target
  EXPECT_FALSE(parse_netfuzz_options({"--target", "https://r", "--insecure", "--steps", "0"}).ok());
  EXPECT_FALSE(parse_netfuzz_options({"--target", "https://r", "--insecure", "--duration", "-1"}).ok());
  EXPECT_FALSE(parse_netfuzz_options({"--target", "https://r", "--insecure", "--bogus", "1"}).ok());
  o = parse_netfuzz_options({"--target", "https://r", "--insecure", "--connections", "16"});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->connections, 16);
  EXPECT_FALSE(parse_netfuzz_options({"--target", "https://r", "--insecure", "--connections", "0"}).ok());
  EXPECT_FALSE(parse_netfuzz_options({"--target", "https://r", "--insecure", "--connections", "257"}).ok());
}

}  // namespace
}  // namespace tigress::fuzz
