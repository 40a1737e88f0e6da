// The OpenGraph preview page of ReadDisplayInformationFromMailbox (draft section 6.4), which
// messaging apps fetch to show a card for the share URL.
#pragma once

#include <string>
#include <string_view>

#include "reference/codec/bodies.hpp"
#include "reference/relay/http_types.hpp"

namespace tigress::relay {

// Escapes the five characters that matter in HTML text and quoted attribute values, so any
// display string (attacker-chosen: the initiator writes it) stays inert (8.1.2, MBX-PREVIEW-08).
std::string html_escape(std::string_view text);

// How display strings enter the page: html_escape everywhere (the reference's own choice); as
// HTML5 serialization escapes them (attribute values only '&' and '"', text only '&', '<' and
// '>'), which is just as inert (the attribute-mode-escaping reading); or raw (the
// preview-unescaped defect).
// kMarkupOnly is the preview-ampersand-unescaped defect: markup characters escaped, '&' not, so
// text that holds a character reference ("&amp;") is shown decoded, not as written.
enum class PreviewEscaping { kAll, kSerialization, kMarkupOnly, kNone };

// A complete HTML document with og:title, og:description, og:image and og:type, and nothing
// else from the mailbox: never the payload, a claim or a token (8.1.3).
std::string render_preview(const codec::DisplayInformation& display, PreviewEscaping escaping = PreviewEscaping::kAll);

// Response headers for the page: a CSP that allows no script at all (8.1.2 asks that the page
// host no third-party JavaScript; the page needs none), no referrer (the share URL must not
// leak onwards), no caching (a deleted share must not linger in link-preview caches, AMB-55).
void set_preview_headers(Response& response);

}  // namespace tigress::relay
