// What can still be read from a request head the HTTP parser refused (too large, malformed):
// the method and the header lines that read as a well-formed "name: value", so the refusal
// still echoes the request ID (section 5.1, AMB-05).
#pragma once

#include <string_view>

#include "reference/relay/http_types.hpp"

namespace tigress::relay {

// `raw` is the head as received, possibly cut short, from its request line if
// `starts_with_request_line`, else from a field line. Lines end in CR LF; a line that is cut
// off, holds a bare CR or LF, or has a control character in its value is left out, so every
// salvaged value is safe to write back into a response field.
Request salvage_request_head(std::string_view raw, bool starts_with_request_line = true);

}  // namespace tigress::relay
