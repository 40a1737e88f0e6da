// A case's metadata against the catalogue it cites. The id, the section and the level of a case
// are written by hand beside its body; the catalogue holds what the draft says. Two rules bind
// them, and every mode refuses to run a registry that breaks either:
//
//  - the section segment of the id ("6.5" of "6.5/second-reader-refused", "8.2.2" of
//    "client/8.2.2/notification-tokens-not-reused") is the case's section, so `--section`
//    selects exactly the cases whose ids name it;
//  - the case's level is the level of one of its cited requirements: a case cannot be stricter
//    or more lenient than every statement it tests.
//
// Every cited requirement must exist, and client cases may cite only rows that bind a client.
#pragma once

#include <string>
#include <vector>

#include "conformance/framework/case_registry.hpp"
#include "conformance/framework/catalogue.hpp"

namespace tigress::conformance {

// The section segment of a case id: the first segment, after "client/" for client cases.
std::string case_id_section(const std::string& id, CaseSuite suite);

// Every disagreement of one case with the catalogue, one sentence each; empty when it agrees.
std::vector<std::string> case_metadata_problems(const CaseDefinition& definition, const Catalogue& catalogue,
                                                CaseSuite suite);

// The ids of every registered case of `suite`, or the first disagreement of one of them with the
// catalogue: a mode does not run a registry that breaks the rules.
Result<std::vector<std::string>> checked_case_ids(CaseSuite suite, const Catalogue& catalogue);

}  // namespace tigress::conformance
