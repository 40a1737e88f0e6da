// Seeds taken from the committed test vectors (vectors/*.json): every input of a
// vector file that a fuzz target parses becomes a seed of that target, framed the way the
// target reads its input, so valid and invalid vectors alike start the fuzzer at the edges the
// vectors were written for.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace tigress::fuzz {

using Seed = std::vector<std::uint8_t>;

// Target name (share_url, bodies, aead_open, timestamp, uuid, base64) -> seeds, in vector file
// order. An error names the file that is missing or not in the expected shape.
Result<std::map<std::string, std::vector<Seed>>> seeds_from_vectors(const std::filesystem::path& vectors_dir);

}  // namespace tigress::fuzz
