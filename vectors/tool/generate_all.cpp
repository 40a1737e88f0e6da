#include "vectors/tool/generators.hpp"

namespace tigress::vectors {

Result<std::vector<GeneratedFile>> generate_everything() {
  using Generator = Result<std::vector<GeneratedFile>> (*)();
  const Generator generators[] = {&generate_aead_vectors,         &generate_share_url_vectors,
                                  &generate_request_body_vectors, &generate_response_body_vectors,
                                  &generate_timestamp_vectors,    &generate_uuid_vectors,
                                  &generate_provisioning_vectors, &generate_transcripts};
  std::vector<GeneratedFile> all;
  for (Generator generate : generators) {
    auto files = generate();
    if (!files) return files.error();
    for (auto& f : *files) all.push_back(std::move(f));
  }
  return all;
}

}  // namespace tigress::vectors
