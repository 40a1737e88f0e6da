#include "reference/relay/readings.hpp"

#include <string>

namespace tigress::relay {

const std::vector<ReadingInfo>& relay_reading_catalogue() {
  static const std::vector<ReadingInfo> catalogue = {
      {"bind-on-refused-read",
       "AMB-10",
       "a Read refused because the mailbox lacks R still binds the first new claim (6.1.5 does not say it must not)",
       {"6.5/without-read-right"},
       "PASS",
       "AMB-10: refused read binds",
       &RelayReadings::bind_on_refused_read},
      {"queue-back-to-back-updates",
       "AMB-09",
       "an Update the recipient has not read yet is queued behind it, not overwritten; Reads deliver them in order "
       "(memory store only)",
       {"6.2/back-to-back-updates"},
       "WARN",
       "AMB-09: flagged",
       &RelayReadings::queue_back_to_back_updates},
      {"attribute-mode-escaping",
       "6.4",
       "preview attribute values escape only '&' and '\"', text only '&', '<' and '>', as HTML5 serialization does",
       {"6.4/title-escaped", "6.4/description-escaped", "6.4/image-url-escaped", "6.4/opengraph-values"},
       "PASS",
       "",
       &RelayReadings::attribute_mode_escaping},
  };
  return catalogue;
}

Status enable_relay_reading(RelayReadings& readings, std::string_view name) {
  for (const auto& info : relay_reading_catalogue()) {
    if (info.name == name) {
      readings.*info.flag = true;
      return {};
    }
  }
  return make_error("unknown reading '" + std::string(name) + "' (see --list-readings)");
}

}  // namespace tigress::relay
