// The vectors and the catalogue cannot drift apart unnoticed: statuses come from the readings,
// the verifier refuses a vector or step that leaves out a status a reading allows, a transcript
// whose listed requirement no step names, and the expiry transcript counts its waits and
// acceptances from the expiration it sets and the replay's expiry grace.
#include <regex>

#include <gtest/gtest.h>

#include "conformance/framework/case_context.hpp"
#include "vectors/tool/catalogue_statuses.hpp"
#include "vectors/tool/generators.hpp"
#include "vectors/tool/vector_file.hpp"
#include "vectors/tool/verifiers.hpp"

namespace tigress::vectors {
namespace {

const std::string kVectors = std::string(TIGRESS_SOURCE_DIR) + "/vectors";

const conformance::Catalogue& catalogue() {
  static const Result<conformance::Catalogue> loaded = load_vectors_catalogue();
  EXPECT_TRUE(loaded.ok()) << (loaded ? "" : loaded.error().message());
  return *loaded;
}

Json read_json(const std::string& relative) {
  auto text = read_text_file(kVectors + "/" + relative);
  EXPECT_TRUE(text.ok()) << relative;
  return text ? Json::parse(*text) : Json();
}

bool mentions(const std::vector<std::string>& failures, const std::string& part) {
  for (const auto& f : failures) {
    if (f.find(part) != std::string::npos) return true;
  }
  return false;
}

// The failures `verify` reports for `doc`.
std::vector<std::string> failures_of(void (*verify)(const Json&, FileReport&), const Json& doc) {
  FileReport report;
  verify(doc, report);
  return report.failures;
}

TEST(CatalogueStatuses, JoinsTheDraftWithEveryNamedReading) {
  // AMB-07: strict [200], lenient [400, 415] (conformance/requirements.json).
  auto all = accepted_statuses(catalogue(), {}, {"AMB-07"});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, (std::vector<int>{200, 400, 415}));
  auto one = accepted_statuses(catalogue(), {404}, {"AMB-07:strict"});
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(*one, (std::vector<int>{200, 404}));
  EXPECT_FALSE(accepted_statuses(catalogue(), {}, {"AMB-07:nonexistent"}).ok());
  EXPECT_FALSE(accepted_statuses(catalogue(), {}, {"AMB-99"}).ok());
  EXPECT_FALSE(accepted_statuses(catalogue(), {}, {"MBX-READ-01"}).ok());
}

TEST(CatalogueStatuses, EveryRequestVectorListsEveryStatusOfItsReadings) {
  const Json doc = read_json("request_body_test.json");
  int checked = 0;
  for (const auto& group : doc["testGroups"]) {
    for (const auto& test : group["tests"]) {
      const auto expected = test["expectedStatus"].get<std::vector<int>>();
      auto joined = accepted_statuses(catalogue(), expected, test["readings"].get<std::vector<std::string>>());
      ASSERT_TRUE(joined.ok()) << test["tcId"];
      EXPECT_EQ(*joined, expected) << "tcId " << test["tcId"] << " leaves out a status its readings allow";
      checked += !test["readings"].empty();
    }
  }
  EXPECT_GT(checked, 40);
}

TEST(CatalogueStatuses, VerifyRefusesARequestVectorThatLeavesOutAReadingsStatus) {
  Json doc = read_json("request_body_test.json");
  bool tampered = false;
  for (auto& group : doc["testGroups"]) {
    for (auto& test : group["tests"]) {
      if (!tampered && test["readings"] == Json::array({"AMB-07"})) {
        test["expectedStatus"] = Json::array({200, 400});  // AMB-07 lenient also allows 415
        tampered = true;
      }
    }
  }
  ASSERT_TRUE(tampered);
  const auto failures = failures_of(verify_request_bodies, doc);
  EXPECT_TRUE(mentions(failures, "allows 415, which the vector does not list")) << ::testing::PrintToString(failures);
}

TEST(TranscriptCoverage, VerifyRefusesAListedRequirementNoStepNames) {
  Json doc = read_json("transcripts/delete.json");
  const auto clean = failures_of(verify_transcript, doc);
  EXPECT_TRUE(clean.empty()) << ::testing::PrintToString(clean);
  doc["requirements"].push_back("MBX-READ-07");
  const auto failures = failures_of(verify_transcript, doc);
  EXPECT_TRUE(mentions(failures, "MBX-READ-07 is listed but no step names it")) << ::testing::PrintToString(failures);
}

TEST(TranscriptCoverage, VerifyRefusesAStepThatLeavesOutAReadingsStatus) {
  Json doc = read_json("transcripts/expiry.json");
  bool tampered = false;
  for (auto& step : doc["steps"]) {
    if (!tampered && step.contains("expect") && step["expect"]["readings"] == Json::array({"AMB-16"})) {
      step["expect"]["status"] = Json::array({404});  // AMB-16 lenient also allows 410
      tampered = true;
    }
  }
  ASSERT_TRUE(tampered);
  const auto failures = failures_of(verify_transcript, doc);
  EXPECT_TRUE(mentions(failures, "allows 410")) << ::testing::PrintToString(failures);
}

TEST(TranscriptCoverage, HeaderChecksNameOnlyStatusesTheStepAllows) {
  for (const char* name : {"create_read_bind", "duplicate_requests", "access_rights", "delete", "relinquish", "expiry",
                           "unknown_mailbox"}) {
    const Json doc = read_json(std::string("transcripts/") + name + ".json");
    for (const auto& step : doc["steps"]) {
      if (!step.contains("expect") || !step["expect"].contains("headers")) continue;
      // A header stated without headersFor would be checked on every status, error answers
      // included, where AMB-05 lets the Request-ID echo vary.
      ASSERT_TRUE(step["expect"].contains("headersFor")) << name << ": " << step["comment"];
      for (const auto& status : step["expect"]["headersFor"])
        EXPECT_LT(status.get<int>(), 300) << name << ": " << step["comment"];
    }
  }
}

bool lists(const Json& statuses, int status) {
  for (const auto& s : statuses) {
    if (s.get<int>() == status) return true;
  }
  return false;
}

// The expiry transcript states its timing in the suite's expiry grace (AMB-16, --expiry-grace of
// the replay), never in fixed seconds: its create step marks the expiration it asks for; after a
// wait until that instant (plus clock skew) the steps still accept a served mailbox, but only
// while sent before the expiration plus the grace; after a wait until that later instant every
// step demands the mailbox be gone.
TEST(TranscriptTiming, ExpiryServesOnlyInsideTheGraceAndDemandsDeletionAfterIt) {
  const Json doc = read_json("transcripts/expiry.json");
  static const std::regex kLifetime(R"(\$\{time\+([0-9]+)\})");
  int lifetime = -1, inside = 0, after = 0;
  enum { kBefore, kExpired, kGraceOver } phase = kBefore;
  Json grace_end;
  for (const auto& step : doc["steps"]) {
    const std::string comment = step.value("comment", "");
    EXPECT_FALSE(step.contains("wait")) << comment << ": a fixed wait cannot follow the replay's expiry grace";
    if (step.contains("marks")) {
      ASSERT_TRUE(step["marks"].contains("expiration")) << comment;
      const std::string asked =
          step["request"]["json"][Json::json_pointer(step["marks"]["expiration"]["pointer"].get<std::string>())]
              .get<std::string>();
      std::smatch m;
      ASSERT_TRUE(std::regex_match(asked, m, kLifetime)) << asked;
      lifetime = std::stoi(m[1]);
    }
    if (step.contains("waitUntil")) {
      const Json& until = step["waitUntil"];
      EXPECT_EQ(until["mark"], "expiration") << comment;
      EXPECT_GE(until["plusSeconds"].get<int>(), 1) << comment << ": 1 s of clock skew at least";
      if (until.value("plusExpiryGrace", false)) {
        EXPECT_EQ(phase, kExpired) << comment;
        grace_end = until;
        phase = kGraceOver;
      } else {
        EXPECT_EQ(phase, kBefore) << comment;
        phase = kExpired;
      }
      continue;
    }
    const Json& expect = step["expect"];
    if (phase == kExpired) {
      // Inside the grace: gone, or (sent before expiration + grace) still served.
      ++inside;
      EXPECT_FALSE(lists(expect["status"], 200)) << comment;
      ASSERT_TRUE(expect.contains("beforeInstant")) << comment;
      const Json& before = expect["beforeInstant"];
      EXPECT_TRUE(lists(before["status"], 200)) << comment;
      EXPECT_EQ(before["instant"]["mark"], "expiration") << comment;
      EXPECT_EQ(before["instant"].value("plusExpiryGrace", false), true) << comment;
      EXPECT_GE(before["instant"]["plusSeconds"].get<int>(), 1) << comment;
    } else if (phase == kGraceOver) {
      ++after;
      EXPECT_FALSE(expect.contains("beforeInstant")) << comment;
      for (const auto& status : expect["status"])
        EXPECT_GE(status.get<int>(), 400) << comment << ": must be gone after the grace";
    }
  }
  ASSERT_GT(lifetime, 1) << "a lifetime of a second or less races the first Read";
  EXPECT_LE(lifetime, 10) << "replay refuses a waitUntil more than 20 s plus the grace ahead";
  EXPECT_GE(inside, 1);
  EXPECT_GE(after, 4) << "Read, preview, Update and Delete after the grace";
  EXPECT_EQ(phase, kGraceOver);
}

TEST(TranscriptCoverage, VerifyRefusesABeforeInstantThatLeavesOutAReadingsStatusOrNamesNoMark) {
  Json doc = read_json("transcripts/expiry.json");
  const auto clean = failures_of(verify_transcript, doc);
  EXPECT_TRUE(clean.empty()) << ::testing::PrintToString(clean);
  Json* before = nullptr;
  for (auto& step : doc["steps"]) {
    if (!before && step.contains("expect") && step["expect"].contains("beforeInstant"))
      before = &step["expect"]["beforeInstant"];
  }
  ASSERT_NE(before, nullptr);
  (*before)["status"] = Json::array({200, 404});  // AMB-16 lenient also allows 410
  (*before)["instant"]["mark"] = "creation";      // no step sets it
  const auto failures = failures_of(verify_transcript, doc);
  EXPECT_TRUE(mentions(failures, "beforeInstant: the catalogue's reading AMB-16 allows 410"))
      << ::testing::PrintToString(failures);
  EXPECT_TRUE(mentions(failures, "mark creation is not set by an earlier step")) << ::testing::PrintToString(failures);
  EXPECT_TRUE(mentions(failures, "beforeInstant leaves out 410")) << ::testing::PrintToString(failures);
}

}  // namespace
}  // namespace tigress::vectors
