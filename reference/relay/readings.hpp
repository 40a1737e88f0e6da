// Defensible readings of the draft other than the reference relay's own, switched on by name
// (`tigress-relay --reading NAME`). Unlike the defects (defects.hpp) a relay taking one still
// conforms: each exists to prove that the conformance suite accepts it (PASS, or the WARN the
// catalogue asks for) and records the reading, instead of failing a conforming relay.
#pragma once

#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace tigress::relay {

struct RelayReadings {
  bool bind_on_refused_read = false;        // AMB-10: a Read refused for the missing R binds its claim
  bool queue_back_to_back_updates = false;  // AMB-09: updates the recipient has not read queue up
  bool attribute_mode_escaping = false;     // 6.4: attribute values escape only '&' and '"' (HTML5)
};

struct ReadingInfo {
  std::string_view name;       // the --reading NAME
  std::string_view ambiguity;  // the catalogue entry the reading belongs to, or the draft section
  std::string_view description;
  std::vector<std::string_view> cases;  // conformance case IDs that must accept it
  std::string_view verdict;             // what those cases give: "PASS", or "WARN" where the catalogue flags it
  std::string_view recorded;            // text the cases' details carry when they saw the reading ("" for none)
  bool RelayReadings::*flag;
};

const std::vector<ReadingInfo>& relay_reading_catalogue();

// Switches on the named reading; an unknown name is an error.
Status enable_relay_reading(RelayReadings& readings, std::string_view name);

}  // namespace tigress::relay
