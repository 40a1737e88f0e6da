// What one device remembers about one share between tigress-client invocations. The file holds
// the payload secret, so it is written with mode 0600 and replaced atomically (a crash never
// leaves half a secret behind).
#pragma once

#include <optional>
#include <string>

#include "reference/codec/secret.hpp"
#include "reference/codec/share_url.hpp"
#include "reference/codec/uuid.hpp"
#include "reference/crypto/aead.hpp"
#include "common/result.hpp"

namespace tigress::client {

enum class Role { kInitiator, kRecipient };

std::string_view role_name(Role role);

struct ClientState {
  Role role = Role::kInitiator;
  // The mailbox URL (urlLink, or the share URL without query and fragment): where API calls go.
  std::string mailbox_url;
  // This device's Mailbox-Device-Claim for this mailbox: a fresh UUIDv4 per role and share,
  // never reused (4.1: unique; initiator and recipient differ; a new one per mailbox).
  codec::Uuid claim;
  codec::Secret secret;
  crypto::AeadAlgorithm algorithm = crypto::AeadAlgorithm::kAes128Gcm;
  std::optional<codec::Vertical> vertical;  // 7.3.1, kept so the share URL can be rebuilt
};

// JSON text of the state (the secret in standard base64). Exposed for tests.
std::string serialize_state(const ClientState& state);
// Strict: every member checked (mailbox URL through the share-URL codec, claim as a UUID,
// secret length against the algorithm). Errors name the member, never quote the secret.
Result<ClientState> parse_state(std::string_view text);

// Writes `path` atomically: a temporary file in the same directory created with mode 0600,
// flushed to disk, then renamed over the target.
Status save_state(const std::string& path, const ClientState& state);
Result<ClientState> load_state(const std::string& path);

// The same atomic, owner-only write for any sensitive file (e.g. decrypted plaintext).
Status write_private_file(const std::string& path, std::string_view data);

}  // namespace tigress::client
