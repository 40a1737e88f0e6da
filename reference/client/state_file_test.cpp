#include "reference/client/state_file.hpp"

#include <sys/stat.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "reference/client/client_test_support.hpp"
#include "reference/codec/base64.hpp"

namespace tigress::client {
namespace {

using testing::TempDir;

ClientState sample(Role role, crypto::AeadAlgorithm algorithm, std::optional<codec::Vertical> vertical) {
  ClientState state;
  state.role = role;
  state.mailbox_url = "https://relay.example:8443/v1/m/6f1c0b5e-8a3b-4d2e-9c4f-1a2b3c4d5e6f";
  state.claim = *codec::generate_uuid_v4();
  state.secret = *crypto::generate_secret(algorithm);
  state.algorithm = algorithm;
  state.vertical = vertical;
  return state;
}

void expect_same(const ClientState& a, const ClientState& b) {
  EXPECT_EQ(a.role, b.role);
  EXPECT_EQ(a.mailbox_url, b.mailbox_url);
  EXPECT_EQ(a.claim, b.claim);
  EXPECT_EQ(a.secret, b.secret);
  EXPECT_EQ(a.algorithm, b.algorithm);
  EXPECT_EQ(a.vertical, b.vertical);
}

mode_t mode_of(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0);
  return info.st_mode & 07777;
}

TEST(StateFile, RoundTripsEveryShape) {
  TempDir dir;
  const ClientState states[] = {
      sample(Role::kInitiator, crypto::AeadAlgorithm::kAes128Gcm, codec::Vertical::kCar),
      sample(Role::kRecipient, crypto::AeadAlgorithm::kAes256Gcm, std::nullopt),
      sample(Role::kRecipient, crypto::AeadAlgorithm::kAes128Gcm, codec::Vertical::kHome),
  };
  int n = 0;
  for (const auto& state : states) {
    const std::string path = dir.file("state" + std::to_string(n++) + ".json");
    ASSERT_TRUE(save_state(path, state).ok());
    auto loaded = load_state(path);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message();
    expect_same(state, *loaded);
  }
}

TEST(StateFile, IsOwnerOnlyWhateverTheUmaskAndLeavesNoTemporaryFile) {
  TempDir dir;
  const std::string path = dir.file("state.json");
  const mode_t previous = ::umask(0);
  const Status first = save_state(path, sample(Role::kInitiator, crypto::AeadAlgorithm::kAes128Gcm, {}));
  const Status second = save_state(path, sample(Role::kRecipient, crypto::AeadAlgorithm::kAes256Gcm, {}));
  ::umask(previous);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(mode_of(path), 0600u);
  auto loaded = load_state(path);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->role, Role::kRecipient) << "the second save replaced the first";
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) ++entries;
  EXPECT_EQ(entries, 1u) << "the temporary file was renamed, not left behind";
}

TEST(StateFile, RefusesFilesOthersCanRead) {
  TempDir dir;
  const std::string path = dir.file("state.json");
  const ClientState state = sample(Role::kInitiator, crypto::AeadAlgorithm::kAes128Gcm, {});
  ASSERT_TRUE(save_state(path, state).ok());
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  auto loaded = load_state(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message().find("chmod 600"), std::string::npos);
}

TEST(StateFile, SaveFailsCleanlyInAMissingDirectory) {
  TempDir dir;
  auto status =
      save_state(dir.file("no/such/dir/state.json"), sample(Role::kInitiator, crypto::AeadAlgorithm::kAes128Gcm, {}));
  EXPECT_FALSE(status.ok());
  EXPECT_FALSE(load_state(dir.file("missing.json")).ok());
}

TEST(StateFile, ParseErrorsNameTheMemberAndNeverTheSecret) {
  const ClientState state = sample(Role::kInitiator, crypto::AeadAlgorithm::kAes128Gcm, {});
  const std::string secret_b64 = codec::base64_encode(state.secret.reveal());
  auto document = nlohmann::json::parse(serialize_state(state));
  auto with = [&](const char* key, nlohmann::json value) {
    auto copy = document;
    if (value.is_null()) {
      copy.erase(key);
    } else {
      copy[key] = value;
    }
    return parse_state(copy.dump());
  };
  struct Case {
    const char* key;
    nlohmann::json value;
  };
  const Case cases[] = {
      {"version", 2},
      {"role", "observer"},
      {"mailboxUrl", "http://relay.example/v1/m/6f1c0b5e-8a3b-4d2e-9c4f-1a2b3c4d5e6f"},
      {"mailboxUrl", "https://relay.example/v1/m/6f1c0b5e-8a3b-4d2e-9c4f-1a2b3c4d5e6f#abc"},
      {"deviceClaim", "not-a-uuid"},
      {"algorithm", "AEAD_CHACHA20_POLY1305"},
      {"algorithm", "AEAD_AES_256_GCM"},  // the 16-byte secret does not fit
      {"secret", "%%%"},
      {"vertical", "x"},
      {"role", nullptr},
      {"secret", nullptr},
  };
  for (const auto& c : cases) {
    auto parsed = with(c.key, c.value);
    ASSERT_FALSE(parsed.ok()) << c.key << " = " << c.value.dump();
    EXPECT_NE(parsed.error().message().find(c.key), std::string::npos) << parsed.error().message();
    EXPECT_EQ(parsed.error().message().find(secret_b64), std::string::npos);
  }
  EXPECT_FALSE(parse_state("[]").ok());
  EXPECT_FALSE(parse_state("{").ok());
  EXPECT_TRUE(parse_state(document.dump()).ok());
}

}  // namespace
}  // namespace tigress::client
