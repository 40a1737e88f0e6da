// The wire-visible client defects against the capture relay, each next to the conforming
// client in the same situation (so the test shows the defect is what makes the difference),
// and the conforming client's refusal of mislabelled JSON.
#include <gtest/gtest.h>

#include "reference/client/client_test_support.hpp"
#include "reference/client/state_file.hpp"
#include "reference/codec/base64.hpp"
#include "reference/codec/share_url.hpp"

namespace tigress::client {
namespace {

// The flows are written in the support's vocabulary (client_test_support.hpp).
using namespace testing;

std::string percent_decoded(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

class ClientDefectFlow : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(relay_.ok());
    write_file(dir_.file("ca.pem"), testing::test_tls().cert_pem);
    write_file(dir_.file("pi.json"), kCarKey);
  }

  // `defects` go before the command, as a shim string would put them.
  CliRun client(std::vector<std::string> defects, std::vector<std::string> command) {
    for (const auto& name : defects) command.insert(command.begin(), {"--defect", name});
    command.insert(command.end(), {"--ca", dir_.file("ca.pem"), "--timeout", "1"});
    return run(command);
  }
  CliRun share(const std::string& state, std::vector<std::string> defects = {}) {
    return client(std::move(defects),
                  {"share", "--relay", relay_.url(), "--in", dir_.file("pi.json"), "--state", dir_.file(state)});
  }
  std::string share_url_of(const CliRun& shared) const { return shared.out.substr(0, shared.out.find('\n')); }
  CliRun receive(const std::string& url, const std::string& state, std::vector<std::string> defects = {}) {
    return client(std::move(defects),
                  {"receive", "--url", url, "--state", dir_.file(state), "--out", dir_.file(state + ".out")});
  }
  bool output_exists(const std::string& state) const { return std::filesystem::exists(dir_.file(state + ".out")); }

  CaptureRelay relay_;
  TempDir dir_;
};

TEST_F(ClientDefectFlow, SendsSecretPutsTheFragmentSecretOnTheWire) {
  CliRun shared = share("i.json", {"sends-secret"});
  ASSERT_EQ(shared.code, kExitSuccess) << shared.err;
  auto url = codec::parse_share_url(share_url_of(shared));
  ASSERT_TRUE(url.ok() && url->secret);
  const std::string leaked = codec::base64url_encode_unpadded(url->secret->reveal());
  auto requests = relay_.requests();
  ASSERT_EQ(requests.size(), 1u);
  bool seen = false;
  for (const auto& [name, value] : requests[0].headers) seen = seen || value == leaked;
  EXPECT_TRUE(seen);

  CliRun clean = share("j.json");
  ASSERT_EQ(clean.code, kExitSuccess) << clean.err;
  EXPECT_EQ(relay_.requests()[1].headers.size() + 1, requests[0].headers.size());
}

TEST_F(ClientDefectFlow, KeepsFragmentSendsItInTheRequestTarget) {
  CliRun shared = share("i.json");
  ASSERT_EQ(shared.code, kExitSuccess) << shared.err;
  const std::string url = share_url_of(shared);
  const std::string fragment = url.substr(url.find('#') + 1);
  receive(url, "r.json", {"keeps-fragment"});
  const std::string target = relay_.requests().back().target;
  EXPECT_NE(percent_decoded(target).find("#" + fragment), std::string::npos) << target;
  EXPECT_FALSE(output_exists("r.json"));

  CliRun clean = receive(url, "s.json");
  EXPECT_EQ(clean.code, kExitSuccess) << clean.err;
  EXPECT_EQ(relay_.requests().back().target.find('%'), std::string::npos);
}

TEST_F(ClientDefectFlow, KeepsFragmentAlsoLeaksItFromThePreview) {
  CliRun shared = share("i.json");
  ASSERT_EQ(shared.code, kExitSuccess) << shared.err;
  const std::string url = share_url_of(shared);
  const std::string fragment = url.substr(url.find('#') + 1);
  client({"keeps-fragment"}, {"preview", "--url", url});
  EXPECT_NE(percent_decoded(relay_.requests().back().target).find("#" + fragment), std::string::npos);

  CliRun clean = client({}, {"preview", "--url", url});
  EXPECT_EQ(clean.code, kExitSuccess) << clean.err;
  EXPECT_EQ(relay_.requests().back().target.find('%'), std::string::npos);
}

TEST_F(ClientDefectFlow, ReusesRequestIdSendsOneIdEverywhere) {
  share("a.json", {"reuses-request-id"});
  share("b.json", {"reuses-request-id"});
  share("c.json");
  share("d.json");
  auto requests = relay_.requests();
  ASSERT_EQ(requests.size(), 4u);
  const std::string id(codec::kRequestIdHeader);
  EXPECT_EQ(requests[0].header(id), requests[1].header(id));
  EXPECT_NE(requests[2].header(id), requests[3].header(id));
}

TEST_F(ClientDefectFlow, IgnoresEchoMismatchAcceptsAForeignEcho) {
  relay_.set_fault([](const Recorded&) { return Fault::kWrongEcho; });
  CliRun clean = share("c.json");
  EXPECT_EQ(clean.code, kExitFailure);
  EXPECT_TRUE(clean.out.empty());
  CliRun defective = share("d.json", {"ignores-echo-mismatch"});
  EXPECT_EQ(defective.code, kExitSuccess) << defective.err;
  EXPECT_FALSE(defective.out.empty());
}

TEST_F(ClientDefectFlow, WrongContentTypeIsRefusedUnlessTheDefectIsOn) {
  CliRun shared = share("i.json");
  ASSERT_EQ(shared.code, kExitSuccess) << shared.err;
  relay_.set_fault([](const Recorded&) { return Fault::kWrongContentType; });
  CliRun clean_share = share("c.json");
  EXPECT_EQ(clean_share.code, kExitFailure);
  EXPECT_TRUE(clean_share.out.empty());
  EXPECT_NE(clean_share.err.find("Content-Type"), std::string::npos) << clean_share.err;
  CliRun clean = receive(share_url_of(shared), "r.json");
  EXPECT_EQ(clean.code, kExitFailure);
  EXPECT_FALSE(output_exists("r.json"));

  CliRun defective = share("d.json", {"ignores-content-type"});
  EXPECT_EQ(defective.code, kExitSuccess) << defective.err;
}

TEST_F(ClientDefectFlow, NewRequestIdOnRetryChangesTheIdOfTheRetry) {
  bool stalled = false;
  relay_.set_fault([&stalled](const Recorded&) {
    if (stalled) return Fault::kNone;
    stalled = true;
    return Fault::kStall;
  });
  CliRun shared = share("i.json", {"new-request-id-on-retry"});
  auto requests = relay_.requests();
  ASSERT_EQ(requests.size(), 2u) << shared.err;
  const std::string id(codec::kRequestIdHeader);
  EXPECT_NE(requests[0].header(id), requests[1].header(id));
  // The conforming retry (same ID) is covered by ShareSurvivesALostCreateResponse.
}

TEST_F(ClientDefectFlow, UnboundedResponseReadsTheHugeBody) {
  relay_.set_fault([](const Recorded&) { return Fault::kHugeBody; });
  CliRun clean = share("c.json");
  EXPECT_EQ(clean.code, kExitFailure);
  EXPECT_NE(clean.err.find("larger than"), std::string::npos) << clean.err;
  CliRun defective = share("d.json", {"unbounded-response"});
  EXPECT_EQ(defective.code, kExitFailure);  // the 2 MiB of 'x' is no JSON either way
  EXPECT_EQ(defective.err.find("larger than"), std::string::npos) << defective.err;
}

TEST_F(ClientDefectFlow, AcceptsTamperedWritesOutputAndExitsZero) {
  CliRun shared = share("i.json");
  ASSERT_EQ(shared.code, kExitSuccess) << shared.err;
  relay_.set_fault([](const Recorded& r) {
    return r.method == "POST" && r.target != "/v1/m" ? Fault::kTamperPayload : Fault::kNone;
  });
  CliRun clean = receive(share_url_of(shared), "r.json");
  EXPECT_EQ(clean.code, kExitFailure);
  EXPECT_FALSE(output_exists("r.json"));
  // A second device would be refused (the first read bound the mailbox), so share again.
  CliRun again = share("j.json");
  ASSERT_EQ(again.code, kExitSuccess) << again.err;
  CliRun defective = receive(share_url_of(again), "s.json", {"accepts-tampered"});
  EXPECT_EQ(defective.code, kExitSuccess) << defective.err;
  EXPECT_TRUE(output_exists("s.json"));
  EXPECT_NE(read_file(dir_.file("s.json.out")), kCarKey);  // one flipped bit got through
}

}  // namespace
}  // namespace tigress::client
