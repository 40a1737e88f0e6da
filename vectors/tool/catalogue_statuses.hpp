// The statuses a request vector or a transcript step accepts, derived from the catalogue's
// machine-readable readings (conformance/requirements.json `readings`, the data the cases read),
// so the vectors and the cases cannot disagree about what an ambiguity allows.
#pragma once

#include <string>
#include <vector>

#include "conformance/framework/catalogue.hpp"
#include "common/result.hpp"

namespace tigress::vectors {

// A reading reference: "AMB-nn" (every reading of the ambiguity) or "AMB-nn:reading-id" (one
// reading, for inputs only that reading concerns).
struct ReadingRef {
  std::string ambiguity;
  std::string reading;  // empty: all readings
};
Result<ReadingRef> parse_reading_ref(const std::string& text);

// The statuses the draft decides (`draft`) joined with those of every referenced reading,
// ascending, each once. Fails when a reference names nothing the catalogue has.
Result<std::vector<int>> accepted_statuses(const conformance::Catalogue& catalogue, const std::vector<int>& draft,
                                           const std::vector<std::string>& readings);

// The catalogue the generator and the verifier use: the suite's installed one
// (conformance::default_catalogue_path()).
Result<conformance::Catalogue> load_vectors_catalogue();

}  // namespace tigress::vectors
