// tigress-client's commands end to end, in-process, against the reference relay: the real
// HTTPS server (RelayServer) for the happy paths, the capture relay where the test must
// see or alter what travels on the wire.
#include <filesystem>
#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "reference/client/client_test_support.hpp"
#include "reference/client/state_file.hpp"
#include "reference/codec/share_url.hpp"
#include "reference/relay/server.hpp"

namespace tigress::client {
namespace {

// The flows are written in the support's vocabulary (client_test_support.hpp).
using namespace testing;

// The ways a secret could leak into text: the fragment's standard base64, URL-safe and
// unpadded variants, and hex.
std::vector<std::string> secret_spellings(const codec::Secret& secret) {
  std::string hex;
  static const char* digits = "0123456789abcdef";
  for (auto byte : secret.reveal()) {
    hex += digits[byte >> 4];
    hex += digits[byte & 15];
  }
  std::string standard = codec::base64_encode(secret.reveal());
  std::string unpadded = standard.substr(0, standard.find('='));
  return {standard, unpadded, codec::base64url_encode_unpadded(secret.reveal()), hex};
}

class ClientFlow : public ::testing::Test {
 protected:
  void SetUp() override { write_file(dir_.file("ca.pem"), testing::test_tls().cert_pem); }

  std::vector<std::string> with_ca(std::vector<std::string> args) const {
    args.push_back("--ca");
    args.push_back(dir_.file("ca.pem"));
    return args;
  }

  CliRun share(const std::string& relay_url, const std::string& state, std::vector<std::string> extra = {}) {
    write_file(dir_.file("p0.json"), kCarKey);
    std::vector<std::string> args{"share",   "--relay",       relay_url, "--in", dir_.file("p0.json"),
                                  "--state", dir_.file(state)};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(with_ca(args));
  }

  TempDir dir_;
};

class ClientFlowAlgorithms : public ClientFlow, public ::testing::WithParamInterface<const char*> {};

TEST_P(ClientFlowAlgorithms, ShareReceiveReplyReadDelete) {
  relay::SystemClock clock;
  relay::MemoryStore store;
  relay::RelayConfig config;
  config.public_base_url = "";  // the server's own https://127.0.0.1:PORT
  auto server =
      relay::RelayServer::start(relay::Relay(config), clock, store, testing::test_tls(), relay::ServerOptions{});
  ASSERT_TRUE(server.ok()) << server.error().message();
  const std::string relay_url = (*server)->url();
  std::string all_stderr;

  // 1. Initiator shares: exactly one stdout line, the share URL.
  CliRun shared = share(relay_url, "initiator.json", {"--alg", GetParam(), "--vertical", "c"});
  all_stderr += shared.err;
  ASSERT_EQ(shared.code, 0) << shared.err;
  const auto out_lines = lines_of(shared.out);
  ASSERT_EQ(out_lines.size(), 1u);
  const std::string share_url = out_lines[0];
  EXPECT_TRUE(std::regex_match(share_url, std::regex("^" + relay_url + "/v1/m/[0-9a-f-]{36}\\?v=c#[A-Za-z0-9+/=]+$")))
      << share_url;
  auto parsed = codec::parse_share_url(share_url);
  ASSERT_TRUE(parsed.ok());
  ASSERT_TRUE(parsed->secret.has_value());
  EXPECT_EQ(parsed->secret->size(), std::string(GetParam()) == "AEAD_AES_256_GCM" ? 32u : 16u);

  // 2. Recipient receives the same bytes.
  CliRun received = run(with_ca(
      {"receive", "--url", share_url, "--state", dir_.file("recipient.json"), "--out", dir_.file("got0.json")}));
  all_stderr += received.err;
  ASSERT_EQ(received.code, 0) << received.err;
  EXPECT_TRUE(received.out.empty());
  EXPECT_EQ(read_file(dir_.file("got0.json")), kCarKey);

  // Different fresh claims per role (4.1 MUST), same secret and algorithm.
  auto initiator = load_state(dir_.file("initiator.json"));
  auto recipient = load_state(dir_.file("recipient.json"));
  ASSERT_TRUE(initiator.ok() && recipient.ok());
  EXPECT_EQ(initiator->role, Role::kInitiator);
  EXPECT_EQ(recipient->role, Role::kRecipient);
  EXPECT_NE(initiator->claim, recipient->claim);
  EXPECT_EQ(initiator->secret, recipient->secret);
  EXPECT_EQ(initiator->mailbox_url, recipient->mailbox_url);
  EXPECT_EQ(crypto::algorithm_name(recipient->algorithm), GetParam());

  // 3. Recipient replies; 4. initiator reads the reply (stdout this time).
  write_file(dir_.file("p1.json"), kReply);
  CliRun sent = run(with_ca({"send", "--state", dir_.file("recipient.json"), "--in", dir_.file("p1.json")}));
  all_stderr += sent.err;
  ASSERT_EQ(sent.code, 0) << sent.err;
  CliRun read = run(with_ca({"read", "--state", dir_.file("initiator.json")}));
  all_stderr += read.err;
  ASSERT_EQ(read.code, 0) << read.err;
  EXPECT_EQ(read.out, kReply);

  // 5. Initiator deletes; the recipient then finds nothing.
  CliRun deleted = run(with_ca({"delete", "--state", dir_.file("initiator.json")}));
  all_stderr += deleted.err;
  ASSERT_EQ(deleted.code, 0) << deleted.err;
  CliRun gone = run(with_ca({"read", "--state", dir_.file("recipient.json")}));
  EXPECT_EQ(gone.code, kExitFailure);
  EXPECT_TRUE(gone.out.empty());
  ASSERT_EQ(lines_of(gone.err).size(), 1u) << gone.err;
  EXPECT_EQ(gone.err.rfind("tigress-client: ", 0), 0u);
  EXPECT_NE(gone.err.find("404"), std::string::npos);
  all_stderr += gone.err;

  for (const auto& spelling : secret_spellings(*parsed->secret)) {
    EXPECT_EQ(all_stderr.find(spelling), std::string::npos) << "secret on stderr";
  }
}

INSTANTIATE_TEST_SUITE_P(BothAlgorithms, ClientFlowAlgorithms,
                         ::testing::Values("AEAD_AES_128_GCM", "AEAD_AES_256_GCM"));

TEST_F(ClientFlow, TheSecretNeverReachesTheRelay) {
  CaptureRelay relay;
  ASSERT_TRUE(relay.ok());
  CliRun shared = share(relay.url(), "i.json", {"--vertical", "h"});
  ASSERT_EQ(shared.code, 0) << shared.err;
  const std::string share_url = lines_of(shared.out).at(0);
  auto parsed = codec::parse_share_url(share_url);
  ASSERT_TRUE(parsed.ok() && parsed->secret);
  ASSERT_EQ(run(with_ca({"receive", "--url", share_url, "--state", dir_.file("r.json")})).code, 0);
  write_file(dir_.file("p1.json"), kReply);
  ASSERT_EQ(run(with_ca({"send", "--state", dir_.file("r.json"), "--in", dir_.file("p1.json")})).code, 0);
  ASSERT_EQ(run(with_ca({"read", "--state", dir_.file("i.json")})).code, 0);
  ASSERT_EQ(run(with_ca({"relinquish", "--state", dir_.file("r.json")})).code, 0);
  ASSERT_EQ(run(with_ca({"delete", "--state", dir_.file("i.json")})).code, 0);

  const auto requests = relay.requests();
  ASSERT_EQ(requests.size(), 6u);
  const auto spellings = secret_spellings(*parsed->secret);
  std::set<std::string> request_ids;
  for (const Recorded& r : requests) {
    // MBX-URL-05: no fragment, no secret anywhere in target, headers or body.
    EXPECT_EQ(r.target.find('#'), std::string::npos) << r.target;
    EXPECT_EQ(r.target.find('?'), std::string::npos) << "API calls use the mailbox URL only";
    std::string wire = r.method + " " + r.target + "\n" + r.body;
    for (const auto& [name, value] : r.headers) wire += "\n" + name + ": " + value;
    for (const auto& spelling : spellings) {
      EXPECT_EQ(wire.find(spelling), std::string::npos) << "secret seen by the relay in:\n" << wire;
    }
    EXPECT_FALSE(r.has_header("Referer"));
    // MBX-RID-01/02, MBX-CLM-01: every call carries a fresh UUIDv4 ID and a claim.
    EXPECT_TRUE(codec::parse_uuid_v4(r.header("Mailbox-Request-ID")).ok()) << r.method;
    EXPECT_TRUE(codec::parse_uuid_v4(r.header("Mailbox-Device-Claim")).ok()) << r.method;
    EXPECT_TRUE(request_ids.insert(r.header("Mailbox-Request-ID")).second) << "ID reused";
  }
  // Create and the first Read come from different devices: different claims (4.1).
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[1].method, "POST");
  EXPECT_TRUE(requests[1].body.empty()) << "Read has an empty body (6.5)";
  EXPECT_NE(requests[0].header("Mailbox-Device-Claim"), requests[1].header("Mailbox-Device-Claim"));
  EXPECT_EQ(requests[2].method, "PUT");
  EXPECT_EQ(requests[2].header("Mailbox-Device-Claim"), requests[1].header("Mailbox-Device-Claim"));
  EXPECT_EQ(requests[2].header("Content-Type"), "application/json");
  EXPECT_EQ(requests[4].method, "PATCH");
  EXPECT_EQ(requests[5].method, "DELETE");
  EXPECT_EQ(requests[5].header("Mailbox-Device-Claim"), requests[0].header("Mailbox-Device-Claim"));
}

// 6.4 / MBX-URL-05: the preview is a plain GET of the share URL minus its fragment, with no
// Tigress headers, and does not bind the mailbox.
TEST_F(ClientFlow, PreviewFetchesThePageWithoutTheFragment) {
  CaptureRelay relay;
  ASSERT_TRUE(relay.ok());
  CliRun shared = share(relay.url(), "i.json", {"--vertical", "c", "--title", "Car key"});
  ASSERT_EQ(shared.code, 0) << shared.err;
  const std::string share_url = lines_of(shared.out).at(0);
  auto parsed = codec::parse_share_url(share_url);
  ASSERT_TRUE(parsed.ok() && parsed->secret);

  CliRun page = run(with_ca({"preview", "--url", share_url}));
  ASSERT_EQ(page.code, 0) << page.err;
  EXPECT_NE(page.out.find("og:title"), std::string::npos) << page.out;
  EXPECT_NE(page.out.find("Car key"), std::string::npos);
  ASSERT_EQ(run(with_ca({"preview", "--url", share_url, "--out", dir_.file("page.html")})).code, 0);
  EXPECT_EQ(read_file(dir_.file("page.html")), page.out);

  const auto requests = relay.requests();
  ASSERT_EQ(requests.size(), 3u);
  const std::string path = share_url.substr(share_url.find("/v1/m/"), share_url.find('?') - share_url.find("/v1/m/"));
  for (std::size_t i = 1; i < requests.size(); ++i) {
    const Recorded& r = requests[i];
    EXPECT_EQ(r.method, "GET");
    EXPECT_EQ(r.target, path + "?v=c");
    EXPECT_FALSE(r.has_header("Mailbox-Device-Claim"));
    std::string wire = r.target + "\n" + r.body;
    for (const auto& [name, value] : r.headers) wire += "\n" + name + ": " + value;
    for (const auto& spelling : secret_spellings(*parsed->secret)) {
      EXPECT_EQ(wire.find(spelling), std::string::npos) << wire;
    }
  }
  // The preview bound nothing: a recipient can still receive.
  EXPECT_EQ(run(with_ca({"receive", "--url", share_url, "--state", dir_.file("r.json")})).code, 0);
}

TEST_F(ClientFlow, TamperedPayloadIsRefusedWithoutOutput) {
  CaptureRelay relay;
  ASSERT_TRUE(relay.ok());
  CliRun shared = share(relay.url(), "i.json");
  ASSERT_EQ(shared.code, 0) << shared.err;
  relay.set_fault([](const Recorded& r) {
    return r.method == "POST" && r.target != "/v1/m" ? Fault::kTamperPayload : Fault::kNone;
  });
  CliRun received = run(with_ca({"receive", "--url", lines_of(shared.out).at(0), "--state", dir_.file("r.json"),
                                 "--out", dir_.file("got.json")}));
  EXPECT_EQ(received.code, kExitFailure);
  EXPECT_TRUE(received.out.empty());
  EXPECT_FALSE(std::filesystem::exists(dir_.file("got.json")));
  const auto err = lines_of(received.err);
  ASSERT_FALSE(err.empty());
  EXPECT_EQ(err.back().rfind("tigress-client: cannot decrypt", 0), 0u) << received.err;
  // The binding happened, so the state was kept for a later read or relinquish.
  EXPECT_TRUE(load_state(dir_.file("r.json")).ok());

  CliRun read = run(with_ca({"read", "--state", dir_.file("i.json")}));
  EXPECT_EQ(read.code, kExitFailure);
  EXPECT_TRUE(read.out.empty());
}

TEST_F(ClientFlow, ShareSurvivesALostCreateResponse) {
  CaptureRelay relay;
  ASSERT_TRUE(relay.ok());
  auto first = std::make_shared<bool>(true);
  relay.set_fault([first](const Recorded& r) {
    if (r.method != "POST" || !*first) return Fault::kNone;
    *first = false;
    return Fault::kStall;
  });
  CliRun shared = share(relay.url(), "i.json", {"--timeout", "1"});
  ASSERT_EQ(shared.code, 0) << shared.err;
  EXPECT_NE(shared.err.find("retrying once"), std::string::npos) << shared.err;
  const auto requests = relay.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].header("Mailbox-Request-ID"), requests[1].header("Mailbox-Request-ID"));
  EXPECT_EQ(requests[0].header("Mailbox-Device-Claim"), requests[1].header("Mailbox-Device-Claim"));
  // The URL printed is the one mailbox the relay made: the recipient can receive from it.
  CliRun received = run(with_ca({"receive", "--url", lines_of(shared.out).at(0), "--state", dir_.file("r.json")}));
  ASSERT_EQ(received.code, 0) << received.err;
  EXPECT_EQ(received.out, kCarKey);
}

TEST_F(ClientFlow, EchoMismatchFailsTheShareAndPrintsNoUrl) {
  CaptureRelay relay;
  ASSERT_TRUE(relay.ok());
  relay.set_fault([](const Recorded&) { return Fault::kWrongEcho; });
  CliRun shared = share(relay.url(), "i.json");
  EXPECT_EQ(shared.code, kExitFailure);
  EXPECT_TRUE(shared.out.empty()) << "MBX-RID-04: no invitation from an unmatched response";
  EXPECT_FALSE(std::filesystem::exists(dir_.file("i.json")));
  EXPECT_NE(shared.err.find("echo mismatch"), std::string::npos) << shared.err;
}

TEST_F(ClientFlow, UsageErrorsExitWithTwo) {
  const std::string ca = dir_.file("ca.pem");
  write_file(dir_.file("exists.json"), "{}");
  write_file(dir_.file("p0.json"), kCarKey);
  const std::vector<std::vector<std::string>> cases = {
      {},
      {"frobnicate"},
      {"share", "--in", "x", "--state", "y"},
      {"share", "--relay", "http://127.0.0.1:1", "--in", "x", "--state", "y"},
      {"share", "--relay", "https://127.0.0.1:1", "--in", "x", "--state", "y", "--alg", "AES"},
      {"share", "--relay", "https://127.0.0.1:1", "--in", "x", "--state", "y", "--vertical", "z"},
      {"share", "--relay", "https://127.0.0.1:1", "--in", "x", "--state", "y", "--rights", "RX"},
      {"share", "--relay", "https://127.0.0.1:1", "--in", "x", "--state", "y", "--expires-in", "-5"},
      {"share", "--relay", "https://127.0.0.1:1", "--in", dir_.file("p0.json"), "--state", dir_.file("exists.json")},
      {"read", "--state", "y", "--ca", ca, "--insecure"},
      {"read", "--state", "y", "--timeout", "0"},
      {"read", "--state", "y", "--state", "z"},
      {"read", "--state"},
      {"read", "--state", "y", "extra"},
      {"delete", "--state", "y", "--out", "z"},
      {"receive", "--url", "https://127.0.0.1:1/v1/m/6f1c0b5e-8a3b-4d2e-9c4f-1a2b3c4d5e6f", "--state", "y"},
  };
  for (const auto& args : cases) {
    CliRun result = run(args);
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    EXPECT_EQ(result.code, kExitUsage) << joined << "\n" << result.err;
    EXPECT_TRUE(result.out.empty()) << joined;
    EXPECT_EQ(lines_of(result.err).size(), 1u) << joined << "\n" << result.err;
    EXPECT_EQ(result.err.rfind("tigress-client: ", 0), 0u) << result.err;
  }
}

TEST_F(ClientFlow, AStrayShareUrlIsNotEchoedOnStderr) {
  const std::string secret = "hXlr6aRC7KgJpOLTNZaLsw==";
  const std::string url = "https://relay.example/v1/m/6f1c0b5e-8a3b-4d2e-9c4f-1a2b3c4d5e6f#" + secret;
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"receive", url}, {url}, {"receive", "--state", "s", "--" + url}}) {
    CliRun result = run(args);
    EXPECT_EQ(result.code, kExitUsage);
    EXPECT_EQ(result.err.find("hXlr6aRC7KgJpOLTNZaLsw"), std::string::npos) << result.err;
  }
}

TEST_F(ClientFlow, HelpGoesToStdout) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"--help"}, {"share", "--help"}, {"receive", "-h"}}) {
    CliRun result = run(args);
    EXPECT_EQ(result.code, 0);
    EXPECT_NE(result.out.find("usage: tigress-client"), std::string::npos);
    EXPECT_TRUE(result.err.empty());
  }
}

TEST_F(ClientFlow, InvalidProvisioningInformationIsNotShared) {
  CaptureRelay relay;
  ASSERT_TRUE(relay.ok());
  write_file(dir_.file("bad.json"), R"({"format":"x"})");
  CliRun shared =
      run(with_ca({"share", "--relay", relay.url(), "--in", dir_.file("bad.json"), "--state", dir_.file("i.json")}));
  EXPECT_EQ(shared.code, kExitFailure);
  EXPECT_NE(shared.err.find("content"), std::string::npos) << shared.err;
  EXPECT_TRUE(relay.requests().empty());
}

}  // namespace
}  // namespace tigress::client
