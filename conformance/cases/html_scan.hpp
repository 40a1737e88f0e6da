// A small, tolerant reading of the preview page (draft section 6.4) for the cases that inspect
// it: tags and attributes as an HTML5 parser would see them (quoted and unquoted attribute
// values, comments, RCDATA in <title>, raw text in <script>), entity decoding, and the
// OpenGraph values. It is not a full HTML5 parser; it follows the tokenizer closely enough to
// tell an escaped string from one that broke out into markup (MBX-PREVIEW-08, TM-14).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tigress::conformance::html {

struct Tag {
  std::string name;                                             // lower case
  std::size_t offset = 0;                                       // byte position of the tag's '<' in the page
  std::vector<std::pair<std::string, std::string>> attributes;  // names lower case, values decoded
  std::string text;  // decoded RCDATA of <title>/<textarea>, raw text of <script>/<style>

  const std::string* attribute(std::string_view name) const;
};

struct Page {
  std::vector<Tag> tags;  // start tags in document order (end tags are not kept)
};

// Decodes character references: the named ones a page is likely to use, and numeric ones
// (decimal and hexadecimal). Unknown references stay as they are.
std::string decode_entities(std::string_view text);

Page scan(std::string_view page);

// The content of the first <meta property="og:NAME" content=...> (also accepted with name=
// instead of property=, as some generators write it), decoded.
std::optional<std::string> open_graph(const Page& page, std::string_view property);

// The page's structure: one entry per start tag, "name[attr attr ...]" with the attribute
// names sorted. Two pages rendered from the same template with different display strings
// have the same structure unless a string broke out of its context.
std::vector<std::string> structure(const Page& page);

// Attributes whose name starts with "on" (inline event handlers), as "tag.attribute".
std::vector<std::string> event_handlers(const Page& page);

// The start tags named `name` (lower case) as the tokenizer sees them: "<script>" inside a
// quoted attribute value, a comment or the RCDATA of <title> is text, not an element.
std::vector<const Tag*> elements(const Page& page, std::string_view name);

}  // namespace tigress::conformance::html
