// The requirement catalogue (conformance/requirements.json): every testable normative statement
// of draft-vinokurov-tigress-http-00 that binds the relay or a client, with its section, keyword
// level, a paraphrase, and where the draft is ambiguous every defensible outcome. The runner,
// the model tests and the reports all read this one file.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace tigress::conformance {

enum class Level { kMust, kShould, kMay, kAdvisory };
std::string_view level_name(Level level);  // "MUST", "SHOULD", "MAY", "ADVISORY"
// The inverse of level_name, for command lines; false for anything else.
bool parse_level(std::string_view text, Level& out);

struct Requirement {
  std::string id;       // e.g. "MBX-READ-05"
  std::string section;  // draft section, e.g. "6.5.4"
  std::string source;   // "VIN" (draft-vinokurov-tigress-http-00), "LTM", "SAMPLE", ...
  Level level = Level::kMust;
  std::string keyword;                   // the keyword as written: "SHALL", "Impl", "Derived", ...
  std::string binds;                     // "relay", "client", "initiator", "recipient", "vertical"
  std::string paraphrase;                // one line, our words
  std::vector<std::string> ambiguities;  // AMB-nn entries that apply
  std::string strict;                    // the outcome a strict reading expects (free text)
  std::vector<std::string> acceptable;   // further defensible outcomes (free text)
  bool testable = true;
  std::string untestable_reason;  // when !testable
  std::string check;              // the black-box check, condensed: what a case has to do
  std::string profile;            // deployment the row needs ("attestation", "push-stub"); empty: any
};

// One defensible reading of an ambiguity and the HTTP statuses a relay that follows it answers.
// Cases take their accepted status sets from here rather than from literals of their own.
struct Reading {
  std::string id;             // lower-case words joined by '-': "strict", "lenient", "strict-read"
  std::vector<int> statuses;  // accepted HTTP statuses, 100..599, each once
  std::string description;    // one line: which text the reading follows and what it means
};

struct Catalogue {
  std::string version;
  std::string digest;  // SHA-256 of the file's bytes, hex
  std::vector<Requirement> requirements;
  std::map<std::string, std::size_t> index;        // id -> position
  std::map<std::string, std::string> ambiguities;  // "AMB-nn" -> summary of its readings
  // "AMB-nn" -> its readings with status sets, for the ambiguities a status decides.
  std::map<std::string, std::vector<Reading>> readings;

  const Requirement* find(const std::string& id) const;
  // The statuses of one reading of `ambiguity`, or of all its readings when `reading` is empty
  // (each status once, in the order first listed); empty when the catalogue has no such reading.
  std::vector<int> accepted_statuses(const std::string& ambiguity, const std::string& reading = {}) const;
};

Result<Catalogue> load_catalogue(const std::string& path);
Result<Catalogue> parse_catalogue(const std::string& json_text);

// The catalogue installed with the suite: $TIGRESS_CATALOGUE, else requirements.json in the
// suite's data folder (reference/data/data_dir.hpp).
std::string default_catalogue_path();

}  // namespace tigress::conformance
