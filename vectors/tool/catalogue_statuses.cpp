#include "vectors/tool/catalogue_statuses.hpp"

#include <algorithm>

namespace tigress::vectors {

Result<ReadingRef> parse_reading_ref(const std::string& text) {
  ReadingRef ref;
  const std::size_t colon = text.find(':');
  ref.ambiguity = text.substr(0, colon);
  if (colon != std::string::npos) ref.reading = text.substr(colon + 1);
  if (ref.ambiguity.rfind("AMB-", 0) != 0 || (colon != std::string::npos && ref.reading.empty())) {
    return make_error("reading reference \"" + text + "\" is not AMB-nn or AMB-nn:reading");
  }
  return ref;
}

Result<std::vector<int>> accepted_statuses(const conformance::Catalogue& catalogue, const std::vector<int>& draft,
                                           const std::vector<std::string>& readings) {
  std::vector<int> out = draft;
  for (const auto& text : readings) {
    auto ref = parse_reading_ref(text);
    if (!ref) return ref.error();
    const std::vector<int> statuses = catalogue.accepted_statuses(ref->ambiguity, ref->reading);
    if (statuses.empty()) return make_error("the catalogue has no reading " + text + " with statuses");
    out.insert(out.end(), statuses.begin(), statuses.end());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Result<conformance::Catalogue> load_vectors_catalogue() {
  auto catalogue = conformance::load_catalogue(conformance::default_catalogue_path());
  if (!catalogue) return make_error("catalogue: " + catalogue.error().message());
  return catalogue;
}

}  // namespace tigress::vectors
