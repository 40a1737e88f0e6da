// The stateful model on its own and step by step against the in-process reference relay: its
// readings of binding, relinquish and concurrent first reads, the timestamps and shell quoting.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>

#include <unistd.h>

#include <gtest/gtest.h>

#include "conformance/model/commands.hpp"
#include "reference/relay/defects.hpp"
#include "reference/relay/server.hpp"
#include "reference/tls/tls_material.hpp"

#include "conformance/model/model_test_support.hpp"

namespace tigress::model {
namespace {

using namespace tigress::model::test_support;

TEST(ModelUnit, TimestampsRoundTrip) {
  for (Seconds t : {Seconds{0}, Seconds{951782400}, Seconds{1'900'000'000}, Seconds{4102444799}, Seconds{-86400}}) {
    EXPECT_EQ(parse_expiration(format_utc(t)), t) << format_utc(t);
  }
  EXPECT_EQ(format_utc(1'900'000'000), "2030-03-17T17:46:40Z");
  EXPECT_EQ(parse_expiration("2030-03-17T18:46:40+01:00"), 1'900'000'000);  // AMB-15 lenient output
  for (const char* bad : {"2030-03-17T17:46:40", "2030-03-17 17:46:40Z", "2030-3-17T17:46:40Z",
                          "2030-03-17T17:46:40.5Z", "2030-13-17T17:46:40Z", "2030-03-17T17:46:40+0100", ""}) {
    EXPECT_FALSE(parse_expiration(bad)) << bad;
  }
}

// A Create the tests answer by hand: claim 1111..., request id r1, all rights, sent and answered
// at 1000, expiring an hour later.
Request hand_written_create(const Payload& payload) {
  Request create;
  create.op = Op::kCreate;
  create.claim = "11111111-1111-4111-8111-111111111111";
  create.request_id = "r1";
  create.has_configuration = true;
  create.access_rights = "RWD";
  create.expiration = 1000 + 3600;
  create.sent = create.answered = 1000;
  create.payload = payload;
  return create;
}

const std::string kCreatedLink = "https://relay.test/v1/m/0b7e6a8c-3f1d-4e2a-9c4b-8d6f0a1b2c3d";

// The relay's answer to hand_written_create: mailbox kCreatedLink.
Outcome answer_create(RelayModel& model, const Request& create) {
  return model.step(create, {200, "application/json", "r1",
                             "{\"urlLink\":\"" + kCreatedLink + "\",\"isPushNotificationSupported\":false}"});
}

// A Read of that mailbox by `claim`, sent and answered at 1001.
Request read_by(const std::string& claim) {
  Request read;
  read.op = Op::kRead;
  read.slot = 0;
  read.claim = claim;
  read.sent = read.answered = 1001;
  return read;
}

// Feeds the model hand-written answers: a relay that lets a second reader in is caught and the
// violation names the requirement.
TEST(ModelUnit, SecondReaderMustBeRefused) {
  RelayModel model({});
  const Request create = hand_written_create({"AEAD_AES_128_GCM", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"});
  Outcome created = answer_create(model, create);
  ASSERT_TRUE(created.ok) << created.violation;
  EXPECT_EQ(model.mailbox_target(0), "/v1/m/0b7e6a8c-3f1d-4e2a-9c4b-8d6f0a1b2c3d");

  const std::string content = "{\"payload\":{\"type\":\"AEAD_AES_128_GCM\",\"data\":\"" + create.payload.data +
                              "\"},\"displayInformation\":{\"title\":\"\",\"description\":\"\",\"imageURL\":\"\"},"
                              "\"expiration\":\"" +
                              format_utc(4600) + "\"}";
  Request read = read_by("22222222-2222-4222-8222-222222222222");
  Outcome first = model.step(read, {200, "application/json", std::nullopt, content});
  ASSERT_TRUE(first.ok) << first.violation;
  read.claim = "33333333-3333-4333-8333-333333333333";
  Outcome second = model.step(read, {200, "application/json", std::nullopt, content});
  EXPECT_FALSE(second.ok);
  EXPECT_NE(second.violation.find("MBX-READ-05"), std::string::npos) << second.violation;
  Outcome refused = model.step(read, {403, "application/json", std::nullopt, "{}"});  // AMB-25
  EXPECT_TRUE(refused.ok) << refused.violation;
}

// A target's answer is untrusted: a Read answer whose payload carries a member nested as deep as
// an answer may be long (the wire client reads up to 1 MiB) is judged, not copied level by level
// until the stack runs out.
TEST(ModelUnit, ReadAnswerNestedAsDeepAsItsSizeAllowsIsJudged) {
  RelayModel model({});
  const Request create = hand_written_create({"AEAD_AES_128_GCM", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"});
  ASSERT_TRUE(answer_create(model, create).ok);
  constexpr std::size_t kDepth = 400000;
  const std::string deep = std::string(kDepth, '[') + std::string(kDepth, ']');
  const std::string display =
      ",\"displayInformation\":{\"title\":\"\",\"description\":\"\",\"imageURL\":\"\"},"
      "\"expiration\":\"" +
      format_utc(4600) + "\"}";
  const Request read = read_by("22222222-2222-4222-8222-222222222222");
  // The stored payload with an extra member: a conforming answer (unknown members are ignored).
  const std::string same = "{\"payload\":{\"type\":\"AEAD_AES_128_GCM\",\"data\":\"" + create.payload.data +
                           "\",\"extra\":" + deep + "}" + display;
  const Outcome first = model.step(read, {200, "application/json", std::nullopt, same});
  EXPECT_TRUE(first.ok) << first.violation;
  // Another payload beside the deep member is still caught.
  const std::string other =
      "{\"payload\":{\"type\":\"AEAD_AES_128_GCM\",\"data\":\"BBBB\",\"extra\":" + deep + "}" + display;
  const Outcome second = model.step(read, {200, "application/json", std::nullopt, other});
  EXPECT_FALSE(second.ok);
  EXPECT_NE(second.violation.find("MBX-READ-02"), std::string::npos) << second.violation;
}

// Simultaneous first reads: whichever claim the relay let win, one 200 and the rest refused is
// accepted and binds the winner; two 200s fit no serial order (MBX-READ-06).
TEST(ModelUnit, ConcurrentFirstReadsNeedOneSerialOrder) {
  const std::string link = "https://relay.test/v1/m/0b7e6a8c-3f1d-4e2a-9c4b-8d6f0a1b2c3d";
  const Payload payload{"AEAD_AES_128_GCM", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"};
  auto created_model = [&] {
    RelayModel model({});
    const Request create = hand_written_create(payload);
    const std::string body = "{\"urlLink\":\"" + link + "\",\"isPushNotificationSupported\":false}";
    const Outcome created = model.step(create, {200, "application/json", "r1", body});
    EXPECT_TRUE(created.ok) << created.violation;
    return model;
  };
  const Response content{200, "application/json", std::nullopt,
                         "{\"payload\":{\"type\":\"AEAD_AES_128_GCM\",\"data\":\"" + payload.data +
                             "\"},\"displayInformation\":{\"title\":\"\",\"description\":\"\",\"imageURL\":\"\"},"
                             "\"expiration\":\"" +
                             format_utc(4600) + "\"}"};
  const Response refused{401, "application/json", std::nullopt, "{}"};
  std::vector<Request> reads(3);
  for (int i = 0; i < 3; ++i) {
    reads[i].op = Op::kRead;
    reads[i].slot = 0;
    reads[i].claim = std::string(8, static_cast<char>('2' + i)) + "-2222-4222-8222-222222222222";
    reads[i].sent = reads[i].answered = 1001;
  }
  // The last of the three won: a serial order exists (3 first), and 3 is the recipient now.
  RelayModel model = created_model();
  const Outcome fair = model.step_concurrent(reads, {refused, refused, content});
  ASSERT_TRUE(fair.ok) << fair.violation;
  EXPECT_NE(fair.chosen.find("order 3"), std::string::npos) << fair.chosen;
  EXPECT_TRUE(model.step(reads[2], content).ok);
  EXPECT_FALSE(model.step(reads[0], content).ok);
  // Two winners: no order explains it; the violation names atomic binding.
  RelayModel racy = created_model();
  const Outcome doubled = racy.step_concurrent(reads, {content, refused, content});
  EXPECT_FALSE(doubled.ok);
  EXPECT_NE(doubled.violation.find("MBX-READ-06"), std::string::npos) << doubled.violation;
  EXPECT_NE(doubled.violation.find("MBX-READ-05"), std::string::npos) << doubled.violation;
  // Nobody won although the slot was free: the first in any order had to bind (MBX-READ-04).
  RelayModel shut = created_model();
  const Outcome none = shut.step_concurrent(reads, {refused, refused, refused});
  EXPECT_FALSE(none.ok);
  EXPECT_NE(none.violation.find("MBX-READ-04"), std::string::npos) << none.violation;
}

TEST(ModelUnit, ShellQuotingSurvivesQuotesAndExpirations) {
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_json_word("{\"e\":\"@@EXPIRATION@@\"}", 5), "'{\"e\":\"'\"$(expires_in 5)\"'\"}'");
}

// A real sequence against the in-process reference relay, step by step: the reading of binding
// and relinquish (AMB-66's states OPEN -> BOUND -> OPEN) agrees with the relay.
TEST(ModelUnit, BindRelinquishRebindAgainstTheReference) {
  InProcessTarget target(config_with());
  SequenceRunner runner(target, {});
  CreateSpec spec;
  spec.rights = "RWD";
  for (const Outcome& o :
       {runner.create(spec), runner.read(0, Actor::kR1), runner.read(0, Actor::kR2),
        runner.update(0, Actor::kR1, 8, false), runner.read(0, Actor::kInitiator), runner.relinquish(0, Actor::kR1),
        runner.repeat(2), runner.read(0, Actor::kR2), runner.read(0, Actor::kR1), runner.remove(0, Actor::kR2),
        runner.repeat(3), runner.preview(0, true)}) {
    EXPECT_TRUE(o.ok) << o.violation;
  }
  EXPECT_EQ(runner.steps(), 12);
}

// Concurrent first reads against the in-process reference, where handle() runs on several
// threads at once: exactly one of four wins, every time, and afterwards only it reads.
TEST(ModelUnit, ConcurrentFirstReadsAgainstTheReference) {
  InProcessTarget target(config_with());
  SequenceRunner runner(target, {});
  CreateSpec spec;
  ASSERT_TRUE(runner.create(spec).ok);
  const Outcome races = runner.concurrent_first_reads(4, 20);
  ASSERT_TRUE(races.ok) << races.violation;
  EXPECT_EQ(runner.slots(), 1);  // the race mailboxes are the command's own
  const auto& steps = runner.script().steps;
  ASSERT_EQ(steps.size(), 1u + 20 + 20 + 40);  // creates, races, winner and loser reads
  for (int round = 0; round < 20; ++round) {
    const ScriptStep& race = steps.at(21 + round);
    ASSERT_EQ(race.parallel_statuses.size(), 4u) << race.label;
    EXPECT_EQ(std::count(race.parallel_statuses.begin(), race.parallel_statuses.end(), 200), 1) << race.label;
    EXPECT_EQ(steps.at(41 + 2 * round).observed_status, 200) << steps.at(41 + 2 * round).label;
    EXPECT_NE(steps.at(42 + 2 * round).observed_status, 200) << steps.at(42 + 2 * round).label;
  }
  // Rendered: four background curls and a wait, valid shell.
  const std::string text = render_script(runner.script(), {"https://127.0.0.1:8443", "-k", "t", {}});
  EXPECT_NE(text.find("parallel_step 22.4 -X POST \"$C1_URL\" -H \"Mailbox-Device-Claim: $C1_X2\" "
                      "-H 'Content-Length: 0' &\nwait\n"),
            std::string::npos)
      << text;
  expect_valid_shell(text);
}

}  // namespace
}  // namespace tigress::model
