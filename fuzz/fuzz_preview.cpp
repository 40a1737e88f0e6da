// OpenGraph preview (reference/relay/preview.hpp). Input: length-prefixed title, length-prefixed
// description, the rest is imageURL. Invariants: exactly one meta tag each for og:title,
// og:description, og:image and og:type, and no markup character from the input survives: the
// page has as many '<', '>' and '"' as the template rendered with empty strings.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_input.hpp"
#include "reference/relay/preview.hpp"

namespace {

std::size_t count(std::string_view text, std::string_view needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string_view::npos; at = text.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using tigress::fuzz::require;
  tigress::fuzz::FuzzInput in(data, size);
  tigress::codec::DisplayInformation display;
  display.title = in.str();
  display.description = in.str();
  display.image_url = in.rest();
  const std::string page = tigress::relay::render_preview(display);
  // The template itself, computed once: the reference for character counts.
  static const std::string empty_page = tigress::relay::render_preview({});
  for (std::string_view property : {"og:title", "og:description", "og:image", "og:type"}) {
    // '"' is escaped in values, so this exact attribute can only come from the template.
    require(count(page, "<meta property=\"" + std::string(property) + "\"") == 1);
  }
  for (std::string_view markup : {"<", ">", "\""}) {
    require(count(page, markup) == count(empty_page, markup));
  }
  require(page.find("<script") == std::string::npos);
  return 0;
}
