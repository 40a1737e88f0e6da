// The strict JSON reading of bodies (strict_json.hpp).
#include "reference/codec/strict_json.hpp"

#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

#include "reference/codec/plain_json.hpp"

namespace tigress::codec::strict_json {
namespace {

using nlohmann::json;

// No TIGRESS body nests deeper than 3 (body, mailboxConfiguration, value). nlohmann parses and
// destroys deep documents without recursion, but its copy, comparison and dump() do recurse, so
// refusing absurd nesting up front keeps every later use of a parsed document safe. 64 leaves
// ample room for extension members that we ignore (AMB-59).
constexpr std::size_t kMaxDepth = 64;

constexpr std::string_view kMissing = "missing required member";

}  // namespace

std::string join_path(std::string_view prefix, std::string_view name) {
  std::string path(prefix);
  if (!path.empty()) path += '.';
  path += name;
  return path;
}

namespace {

// Text from the input (member names, number tokens) ends up in error messages; keep it short.
// Cutting only at a UTF-8 lead byte keeps valid text valid.
std::string shorten(std::string_view text, std::size_t limit = 64) {
  if (text.size() <= limit) return std::string(text);
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

const char* kind_of(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return "number";
    case json::value_t::string:
      return "string";
    case json::value_t::array:
      return "array";
    case json::value_t::object:
      return "object";
    default:
      return "non-JSON value";
  }
}

// what() reads "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error
// ...; last read: '<raw input>'". Drop the id prefix and the raw-input echo, which may hold
// arbitrary bytes, and cut the rest: number overflow (out_of_range.406) quotes the whole token,
// which may be huge.
Error invalid_json(const json::exception& ex) {
  std::string text = ex.what();
  if (auto bracket = text.find("] "); !text.empty() && text[0] == '[' && bracket != std::string::npos) {
    text.erase(0, bracket + 2);
  }
  if (auto echo = text.find("; last read: "); echo != std::string::npos) text.erase(echo);
  return make_error("the body is not valid JSON: " + shorten(text, 200));
}

// One pass over the raw body with nlohmann's SAX interface: builds the document while it
// enforces kMaxDepth, refuses duplicate member names and turns syntax errors into readable
// reasons. Duplicates are refused because RFC 8259 section 4 leaves their meaning open
// (nlohmann keeps the last one, other parsers the first): a relay and a client must never
// disagree about which payload or expiration a body carries. The document is the one
// json::parse would build from an accepted body; building it here saves lexing the body twice.
class StrictDocumentBuilder final : public json::json_sax_t {
 public:
  std::optional<Error> error;
  json document;

  bool null() override { return value(nullptr); }
  bool boolean(bool v) override { return value(v); }
  bool number_integer(json::number_integer_t v) override { return value(v); }
  bool number_unsigned(json::number_unsigned_t v) override { return value(v); }
  bool number_float(json::number_float_t v, const json::string_t&) override { return value(v); }
  bool string(json::string_t& v) override { return value(std::move(v)); }
  bool binary(json::binary_t& v) override { return value(json::binary(std::move(v))); }  // not produced for JSON

  bool start_object(std::size_t) override { return open(json::object()); }
  bool start_array(std::size_t) override { return open(json::array()); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }

  bool key(json::string_t& name) override {
    Frame& frame = frames_.back();
    auto [member, inserted] = frame.node->get_ref<json::object_t&>().emplace(std::move(name), nullptr);
    if (!inserted) {
      error = field_error(path_to(member->first),
                          "duplicate member name; RFC 8259 section 4 leaves the meaning of "
                          "repeated names open, so each member may appear only once");
      return false;
    }
    frame.current_key = &member->first;
    frame.pending = &member->second;
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const json::exception& ex) override {
    error = invalid_json(ex);
    return false;
  }

 private:
  struct Frame {
    json* node = nullptr;                      // the object or array being filled
    const std::string* current_key = nullptr;  // objects: the member being read
    json* pending = nullptr;                   // objects: where that member's value goes
    std::size_t index = 0;                     // arrays: elements completed so far
  };

  // Where the next value goes: the document itself, the member just named, or a new element.
  json* place(json&& v) {
    if (frames_.empty()) {
      document = std::move(v);
      return &document;
    }
    Frame& frame = frames_.back();
    if (frame.node->is_object()) {
      *frame.pending = std::move(v);
      return frame.pending;
    }
    auto& elements = frame.node->get_ref<json::array_t&>();
    elements.push_back(std::move(v));
    return &elements.back();
  }

  bool value(json&& v) {
    place(std::move(v));
    return element_done();
  }

  bool open(json&& container) {
    if (frames_.size() >= kMaxDepth) {
      error = make_error("the body nests arrays and objects more than " + std::to_string(kMaxDepth) +
                         " levels deep; no TIGRESS body needs more than 3");
      return false;
    }
    json* node = place(std::move(container));
    frames_.push_back(Frame{node, nullptr, nullptr, 0});
    return true;
  }

  bool close() {
    frames_.pop_back();
    return element_done();
  }

  bool element_done() {
    if (!frames_.empty() && frames_.back().node->is_array()) ++frames_.back().index;
    return true;
  }

  // Dotted path of the enclosing members, array positions as "[i]", then `name`.
  std::string path_to(std::string_view name) const {
    std::string path;
    for (std::size_t i = 0; i + 1 < frames_.size(); ++i) {
      const Frame& frame = frames_[i];
      if (frame.node->is_object()) {
        path = join_path(path, shorten(frame.current_key ? *frame.current_key : std::string()));
      } else {
        path += "[" + std::to_string(frame.index) + "]";
      }
    }
    return join_path(path, shorten(name));
  }

  std::vector<Frame> frames_;
};

}  // namespace

Result<json> parse_object_body(std::string_view body) {
  // nlohmann's lexer treats a NUL byte as the end of input, so "{}\0garbage" would pass. A raw
  // NUL is never valid JSON (it must be escaped inside strings, RFC 8259 section 7).
  if (body.find('\0') != std::string_view::npos) {
    return make_error("the body is not valid JSON: it contains a NUL byte (write \\u0000 inside strings)");
  }
  // nlohmann silently skips a UTF-8 byte order mark. RFC 8259 section 8.1 forbids senders to add
  // one; the strict reference refuses it so that clients which do are noticed.
  if (body.starts_with("\xEF\xBB\xBF")) {
    return make_error(
        "the body starts with a byte order mark, which RFC 8259 section 8.1 forbids senders to "
        "add");
  }
  if (auto plain = plain_json::parse_plain_object(body)) return std::move(*plain);
  StrictDocumentBuilder builder;
  bool well_formed = false;
  try {
    well_formed = json::sax_parse(body, &builder);
  } catch (const json::exception& ex) {  // number overflow is thrown, not reported, by some paths
    return invalid_json(ex);
  }
  if (!well_formed) {
    return builder.error ? *builder.error : make_error("the body is not valid JSON");
  }
  json document = std::move(builder.document);
  if (!document.is_object()) {
    return make_error(std::string("the body must be a JSON object, got ") + kind_of(document));
  }
  return document;
}

namespace {

const char* expected_name(Kind kind) {
  switch (kind) {
    case Kind::string:
      return "a string";
    case Kind::object:
      return "an object";
    case Kind::boolean:
      return "a boolean";
  }
  return "?";
}

bool has_kind(const json& value, Kind kind) {
  switch (kind) {
    case Kind::string:
      return value.is_string();
    case Kind::object:
      return value.is_object();
    case Kind::boolean:
      return value.is_boolean();
  }
  return false;
}

}  // namespace

Result<const json*> member(const json& object, std::string_view prefix, std::string_view name, Kind kind, bool required,
                           std::string_view hint) {
  auto found = object.find(name);
  if (found == object.end()) {
    if (!required) return static_cast<const json*>(nullptr);
    std::string reason(kMissing);
    if (!hint.empty()) reason += std::string("; ") + std::string(hint);
    return field_error(join_path(prefix, name), std::move(reason));
  }
  if (!has_kind(*found, kind)) {
    return field_error(join_path(prefix, name),
                       std::string("must be ") + expected_name(kind) + ", got " + kind_of(*found));
  }
  return &*found;
}

Result<std::string> required_string(const json& object, std::string_view prefix, std::string_view name,
                                    std::string_view hint) {
  auto found = member(object, prefix, name, Kind::string, true, hint);
  if (!found) return found.error();
  return (*found)->get<std::string>();
}

Result<bool> required_boolean(const json& body, std::string_view name) {
  auto found = member(body, "", name, Kind::boolean, true);
  if (!found) return found.error();
  return (*found)->get<bool>();
}

}  // namespace tigress::codec::strict_json
