// The checks of `tigress-vectors verify`: the reference implementation (reference/codec,
// reference/crypto, the relay core) against every vector file.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "conformance/framework/catalogue.hpp"

namespace tigress::vectors {

using Json = nlohmann::json;

struct FileReport {
  std::string path;                      // relative to the vectors folder
  std::map<std::string, int> by_result;  // "valid" / "invalid" / "acceptable" -> count
  int tests = 0;
  std::vector<std::string> failures;  // "tcId N (comment): what went wrong"
};

// Calls `check` for every test of every group; a check returns an empty string when the
// reference implementation agrees, else the mismatch. Counts results and structural problems.
void for_each_test(const Json& document, FileReport& report,
                   const std::function<std::string(const Json& group, const Json& test)>& check);

// The catalogue the readings of request vectors and transcript steps are checked against,
// loaded once; null (with a failure in `report`) when it cannot be read.
const conformance::Catalogue* verification_catalogue(FileReport& report);

void verify_aead(const Json& document, FileReport& report);
void verify_share_urls(const Json& document, FileReport& report);
void verify_request_bodies(const Json& document, FileReport& report);
void verify_response_bodies(const Json& document, FileReport& report);
void verify_timestamps(const Json& document, FileReport& report);
void verify_uuids(const Json& document, FileReport& report);
void verify_provisioning(const Json& document, FileReport& report);
// Transcripts are replayed by `tigress-conform replay`; here only their form is checked.
void verify_transcript(const Json& document, FileReport& report);

// Every *.json under `dir` (transcripts/ included, schemas/ excluded), dispatched by its
// "schema" member, which must name a file in dir/schemas.
Result<std::vector<FileReport>> verify_directory(const std::filesystem::path& dir);

}  // namespace tigress::vectors
