// The generators of `tigress-vectors generate`: each returns its files, fully determined by the
// fixed seed it uses (never the system CSPRNG, never the clock).
#pragma once

#include <vector>

#include "vectors/tool/vector_file.hpp"

namespace tigress::vectors {

Result<std::vector<GeneratedFile>> generate_aead_vectors();
Result<std::vector<GeneratedFile>> generate_share_url_vectors();
Result<std::vector<GeneratedFile>> generate_request_body_vectors();
Result<std::vector<GeneratedFile>> generate_response_body_vectors();
Result<std::vector<GeneratedFile>> generate_timestamp_vectors();
Result<std::vector<GeneratedFile>> generate_uuid_vectors();
Result<std::vector<GeneratedFile>> generate_provisioning_vectors();
Result<std::vector<GeneratedFile>> generate_transcripts();

// The expiry grace the expiry transcript waits out (AMB-16). A fixed transcript cannot take the
// conformance cases' two-step wait (gone at the instant, or by --expiry-grace, default 60 s;
// replay caps a wait at 10 s), so it checks the strict side: gone within 3 s of expiry.
constexpr int kTranscriptExpiryGrace = 3;

// Every file of every generator, in a fixed order.
Result<std::vector<GeneratedFile>> generate_everything();

}  // namespace tigress::vectors
