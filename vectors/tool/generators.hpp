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

// Every file of every generator, in a fixed order.
Result<std::vector<GeneratedFile>> generate_everything();

}  // namespace tigress::vectors
