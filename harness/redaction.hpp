// Everything the suite prints about a target is untrusted, and some of what it sent is secret
// (share-URL fragments, keys, device claims): both pass through here before reaching a log or
// a report.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tigress::harness {

class Redactor {
 public:
  // Every occurrence of `secret` is replaced by "<redacted:LABEL>". Empty secrets are ignored.
  void add(std::string secret, std::string label);
  std::string apply(std::string_view text) const;

 private:
  std::vector<std::pair<std::string, std::string>> secrets_;
};

// Bounded, printable rendering of untrusted bytes: control characters and invalid UTF-8 are
// shown as \xNN escapes, and text beyond `max_bytes` is cut with a marker saying how much.
std::string printable(std::string_view bytes, std::size_t max_bytes = 4096);

}  // namespace tigress::harness
