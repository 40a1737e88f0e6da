#include "harness/redaction.hpp"

#include <algorithm>
#include <cstdint>

namespace tigress::harness {

void Redactor::add(std::string secret, std::string label) {
  if (secret.empty()) return;
  // Kept longest first: where secrets overlap, the longest one names the hidden span.
  const auto position = std::upper_bound(secrets_.begin(), secrets_.end(), secret.size(),
                                         [](std::size_t size, const auto& entry) { return size > entry.first.size(); });
  secrets_.emplace(position, std::move(secret), std::move(label));
}

std::string Redactor::apply(std::string_view text) const {
  if (secrets_.empty()) return std::string(text);
  // Mark every byte covered by any occurrence of any secret first, then replace each covered
  // run once. Replacing secret by secret instead would leave the uncovered tail of a partially
  // overlapping secret in clear, and could match a later secret inside an earlier marker.
  struct Span {
    std::size_t begin;
    std::size_t end;
    std::size_t secret;  // index into secrets_, lower is longer
  };
  std::vector<Span> spans;
  for (std::size_t index = 0; index < secrets_.size(); ++index) {
    const std::string& secret = secrets_[index].first;
    for (std::size_t at = text.find(secret); at != std::string_view::npos; at = text.find(secret, at + 1)) {
      spans.push_back({at, at + secret.size(), index});
    }
  }
  std::sort(spans.begin(), spans.end(),
            [](const Span& a, const Span& b) { return a.begin != b.begin ? a.begin < b.begin : a.secret < b.secret; });
  std::string out;
  out.reserve(text.size());
  std::size_t position = 0;
  for (std::size_t i = 0; i < spans.size();) {
    std::size_t end = spans[i].end;
    std::size_t label = spans[i].secret;
    std::size_t j = i + 1;
    for (; j < spans.size() && spans[j].begin < end; ++j) {
      end = std::max(end, spans[j].end);
      label = std::min(label, spans[j].secret);
    }
    out.append(text.substr(position, spans[i].begin - position));
    out += "<redacted:" + secrets_[label].second + ">";
    position = end;
    i = j;
  }
  out.append(text.substr(position));
  return out;
}

namespace {

// Length of the well-formed UTF-8 sequence at the start of `bytes` (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF), or 0 when it is not one.
std::size_t utf8_sequence(std::string_view bytes) {
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(bytes[i]); };
  const std::uint8_t lead = byte(0);
  std::size_t length = 0;
  std::uint8_t low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (bytes.size() < length || byte(1) < low || byte(1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return length;
}

void append_escape(std::string& out, std::uint8_t byte) {
  constexpr char kHex[] = "0123456789ABCDEF";
  out += "\\x";
  out += kHex[byte >> 4];
  out += kHex[byte & 0x0F];
}

}  // namespace

std::string printable(std::string_view bytes, std::size_t max_bytes) {
  std::string out;
  std::size_t position = 0;
  while (position < bytes.size()) {
    const std::size_t length = utf8_sequence(bytes.substr(position));
    std::string piece;
    if (length == 0) {
      append_escape(piece, static_cast<std::uint8_t>(bytes[position]));
    } else if (length == 1) {
      const auto c = static_cast<std::uint8_t>(bytes[position]);
      if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7F) {
        append_escape(piece, c);
      } else {
        piece += static_cast<char>(c);
      }
    } else if (length == 2 && static_cast<std::uint8_t>(bytes[position]) == 0xC2 &&
               static_cast<std::uint8_t>(bytes[position + 1]) < 0xA0) {
      // C1 controls (U+0080..U+009F) are valid UTF-8 but can steer terminals: escape them too.
      append_escape(piece, 0xC2);
      append_escape(piece, static_cast<std::uint8_t>(bytes[position + 1]));
    } else {
      piece.assign(bytes.substr(position, length));
    }
    // Never split an escape or a character: the cut happens between whole pieces.
    if (out.size() + piece.size() > max_bytes) break;
    out += piece;
    position += length == 0 ? 1 : length;
  }
  if (position < bytes.size()) {
    out += "…[" + std::to_string(bytes.size() - position) + " more bytes]";
  }
  return out;
}

}  // namespace tigress::harness
