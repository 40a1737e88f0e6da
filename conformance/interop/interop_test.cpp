// The interop mode's pieces (relay specs, report escaping) and one real matrix: the reference
// client under two shim strings against the reference relay, clean and with a relay defect
// that binds no recipient (bind-every-reader). The clean column must pass and the defective
// one must fail at a step that depends on the binding.
#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "conformance/interop/interop_report.hpp"
#include "conformance/interop/reference_relay.hpp"
#include "harness/relay_test_fixture.hpp"
#include "harness/shim_runner.hpp"

namespace tigress::conformance::interop {
namespace {

const std::string kBin = TIGRESS_BIN_DIR;

TEST(InteropRelaySpec, ParsesUrlsReferenceAndFlags) {
  auto url = parse_relay_spec("https://relay.example:8443");
  ASSERT_TRUE(url.ok());
  EXPECT_FALSE(url->reference);
  EXPECT_EQ(url->url, "https://relay.example:8443");

  auto plain = parse_relay_spec("reference");
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->reference);
  EXPECT_TRUE(plain->extra_args.empty());

  auto flagged = parse_relay_spec("reference:--defect=bind-every-reader:--max-ttl=1h");
  ASSERT_TRUE(flagged.ok());
  EXPECT_EQ(flagged->extra_args, (std::vector<std::string>{"--defect", "bind-every-reader", "--max-ttl", "1h"}));

  for (const char* bad : {"http://relay.example", "referencex", "reference:defect", "relay",
                          "reference:--listen=0.0.0.0:1", "reference:--cert-out=/tmp/x"}) {
    EXPECT_FALSE(parse_relay_spec(bad).ok()) << bad;
  }
}

TEST(InteropRelaySpec, SplitsListsAndRefusesEmptyItems) {
  auto list = split_list("a b, c ,d", "--clients");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(*list, (std::vector<std::string>{"a b", "c", "d"}));
  EXPECT_FALSE(split_list("a,,b", "--clients").ok());
  EXPECT_FALSE(split_list("", "--clients").ok());
}

InteropRun hostile_run() {
  InteropRun run;
  run.clients = {"/bin/<script>alert(1)</script>", "client\x1b[31m \"&'"};
  run.relays = {RelayColumn{"https://x/<i>", "https://x", ""}};
  Cell cell;
  cell.verdict = CellVerdict::kFail;
  cell.failed_step = "receive";
  cell.recipient = 1;
  cell.steps.push_back(StepResult{"receive", CellVerdict::kFail, 1, false, false, 5, "exit 1 <img src=x onerror=y>",
                                  "</pre><script>evil()</script>]]>"});
  run.cells.push_back(cell);
  return run;
}

TEST(InteropReports, EscapeEverythingTheUserOrAClientControls) {
  const InteropRun run = hostile_run();
  const std::string html = interop_html(run);
  const std::string xml = interop_junit(run);
  for (const std::string& text : {html, xml}) {
    EXPECT_EQ(text.find("<script>"), std::string::npos);
    EXPECT_EQ(text.find("<img"), std::string::npos);
    EXPECT_EQ(text.find("<i>"), std::string::npos);
    EXPECT_EQ(text.find('\x1b'), std::string::npos);
    EXPECT_NE(text.find("&lt;script&gt;"), std::string::npos);
  }
  EXPECT_NE(html.find("FAIL at receive"), std::string::npos);
  EXPECT_NE(xml.find("<failure message=\"failed at receive\""), std::string::npos);

  const auto json = nlohmann::json::parse(interop_json(run));
  EXPECT_EQ(json["schema"], "tigress-interop/1");
  EXPECT_EQ(json["clients"][0]["shim"], run.clients[0]);
  EXPECT_EQ(json["cells"][0]["failed_step"], "receive");
  EXPECT_EQ(json["cells"][0]["steps"][0]["stderr"], run.cells[0].steps[0].stderr_excerpt);
  EXPECT_EQ(json["summary"]["fail"], 1);
  EXPECT_EQ(run.exit_status(), 1);
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(InteropMatrix, CleanRelayPassesAndARelayThatBindsNobodyFails) {
  const auto dir = std::filesystem::temp_directory_path() / ("tigress-interop-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string json_path = (dir / "interop.json").string();
  const std::string html_path = (dir / "interop.html").string();
  const std::string junit_path = (dir / "interop.xml").string();
  const std::string client = kBin + "/tigress-client";
  harness::ShimInvocation invocation;
  invocation.argv = {kBin + "/tigress-conform",
                     "interop",
                     "--quiet",
                     "--clients",
                     client + ",/usr/bin/env " + client,
                     "--relays",
                     "reference,reference:--defect=bind-every-reader",
                     "--timeout",
                     "5",
                     "--report-json",
                     json_path,
                     "--report-html",
                     html_path,
                     "--report-junit",
                     junit_path};
  invocation.timeout = std::chrono::seconds(120);
  auto outcome = harness::run_shim(invocation);
  ASSERT_TRUE(outcome.ok()) << outcome.error().message();
  EXPECT_EQ(outcome->exit_code, 1) << outcome->stderr_text;  // one column fails

  const auto report = nlohmann::json::parse(slurp(json_path), nullptr, false);
  ASSERT_TRUE(report.is_object()) << outcome->stdout_text << outcome->stderr_text;
  ASSERT_EQ(report["relays"].size(), 2u);
  ASSERT_EQ(report["cells"].size(), 8u);  // 2 relays x 2 x 2 ordered pairs
  for (const auto& cell : report["cells"]) {
    if (cell["relay"] == 0) {
      EXPECT_EQ(cell["verdict"], "PASS") << cell.dump(2);
      EXPECT_EQ(cell["steps"].size(), 7u);
    } else {
      // Nothing is bound, so the recipient's reply is refused (401) or, failing that, the
      // second device gets in; either way share and receive worked and a binding step broke.
      EXPECT_EQ(cell["verdict"], "FAIL") << cell.dump(2);
      const std::string step = cell["failed_step"].is_string() ? cell["failed_step"].get<std::string>() : "";
      EXPECT_TRUE(step == "reply" || step == "second-device") << cell.dump(2);
    }
  }
  // Nothing in any report carries a share secret: the share URLs' fragments are never kept.
  for (const auto& path : {json_path, html_path, junit_path}) {
    const std::string text = slurp(path);
    EXPECT_FALSE(text.empty()) << path;
    EXPECT_EQ(text.find("/v1/m/"), std::string::npos) << path;
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

// A URL relay whose preflight fails leaves the matrix untestable: exit 3, no cell run, and the
// JSON report asked for carries the preflight's diagnosis instead of any verdict.
TEST(InteropMatrix, ARelayFailingItsPreflightExitsThreeWithTheDiagnosis) {
  const int port = harness::test_support::unused_loopback_port();  // nothing listens there
  ASSERT_NE(port, 0);
  const auto dir = std::filesystem::temp_directory_path() / ("tigress-interop-preflight-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string json_path = (dir / "interop.json").string();
  harness::ShimInvocation invocation;
  invocation.argv = {kBin + "/tigress-conform",
                     "interop",
                     "--quiet",
                     "--clients",
                     kBin + "/tigress-client",
                     "--relays",
                     "https://127.0.0.1:" + std::to_string(port),
                     "--timeout",
                     "5",
                     "--report-json",
                     json_path};
  invocation.timeout = std::chrono::seconds(60);
  auto outcome = harness::run_shim(invocation);
  ASSERT_TRUE(outcome.ok()) << outcome.error().message();
  EXPECT_EQ(outcome->exit_code, 3) << outcome->stderr_text;

  const auto report = nlohmann::json::parse(slurp(json_path), nullptr, false);
  ASSERT_TRUE(report.is_object()) << outcome->stdout_text << outcome->stderr_text;
  ASSERT_TRUE(report.contains("preflight") && report["preflight"].is_object()) << report.dump(2);
  const auto& preflight = report["preflight"];
  EXPECT_EQ(preflight["passed"], false) << preflight.dump(2);
  EXPECT_TRUE(preflight["step"].is_string()) << preflight.dump(2);
  ASSERT_TRUE(preflight["diagnosis"].is_string()) << preflight.dump(2);
  EXPECT_FALSE(preflight["diagnosis"].get<std::string>().empty()) << preflight.dump(2);
  // The diagnosis the operator sees on stderr is the report's.
  EXPECT_NE(outcome->stderr_text.find(preflight["diagnosis"].get<std::string>()), std::string::npos)
      << outcome->stderr_text;
  EXPECT_EQ(report["summary"]["fail"], 0) << report["summary"].dump();
  EXPECT_EQ(report.dump().find("\"FAIL\""), std::string::npos) << report.dump(2);
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

TEST(InteropMatrix, UsageErrorsExitTwo) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"interop"}, std::vector<std::string>{"interop", "--clients", "x"},
        std::vector<std::string>{"interop", "--clients", "x", "--relays", "ftp://y"},
        std::vector<std::string>{"interop", "--clients", "x,", "--relays", "reference"},
        std::vector<std::string>{"interop", "--clients", "x", "--relays", "reference", "--ca", "c", "--insecure"}}) {
    harness::ShimInvocation invocation;
    invocation.argv = {kBin + "/tigress-conform"};
    invocation.argv.insert(invocation.argv.end(), args.begin(), args.end());
    auto outcome = harness::run_shim(invocation);
    ASSERT_TRUE(outcome.ok());
    EXPECT_EQ(outcome->exit_code, 2) << args.size();
  }
}

}  // namespace
}  // namespace tigress::conformance::interop
