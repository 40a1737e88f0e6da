#include "conformance/framework/strict_json.hpp"

#include <algorithm>
#include <exception>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace tigress::conformance {
namespace {

using nlohmann::json;

// A SAX pass over the text that tracks the path of every value, run before the document is built.
class DiagnosticSax {
 public:
  explicit DiagnosticSax(std::string_view text) : text_(text) {}

  bool null() { return element(); }
  bool boolean(bool) { return element(); }
  bool number_integer(json::number_integer_t) { return element(); }
  bool number_unsigned(json::number_unsigned_t) { return element(); }
  bool number_float(json::number_float_t, const json::string_t&) { return element(); }
  bool string(json::string_t&) { return element(); }
  bool binary(json::binary_t&) { return element(); }
  bool start_object(std::size_t) { return push(false); }
  bool start_array(std::size_t) { return push(true); }
  bool end_object() { return pop(); }
  bool end_array() { return pop(); }

  bool key(json::string_t& name) {
    Frame& top = frames_.back();
    top.key = name;
    if (!top.keys.insert(name).second) {
      error_ = Error{path(), "duplicate member name"};
      return false;
    }
    return true;
  }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) {
    // position counts bytes read, so the offending byte is the one before it.
    const std::size_t at = position == 0 ? 0 : std::min(position - 1, text_.size());
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < at; ++i) {
      if (text_[i] == '\n')
        ++line, column = 1;
      else
        ++column;
    }
    error_ = make_error("not valid JSON: syntax error at line " + std::to_string(line) + ", column " +
                        std::to_string(column));
    return false;
  }

  const std::optional<Error>& error() const { return error_; }

 private:
  struct Frame {
    bool array = false;
    std::size_t index = 0;  // arrays: position of the element being read
    std::string key;        // objects: member being read
    std::set<std::string> keys;
  };

  bool element() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
    return true;
  }
  bool push(bool array) {
    frames_.push_back(Frame{array, 0, {}, {}});
    return true;
  }
  bool pop() {
    frames_.pop_back();
    return element();
  }

  // The path of the member or element currently being read, in the validator's notation.
  std::string path() const {
    std::string out;
    for (const Frame& f : frames_) {
      if (f.array)
        out += "[" + std::to_string(f.index) + "]";
      else
        out += (out.empty() ? "" : ".") + f.key;
    }
    return out;
  }

  std::string_view text_;
  std::vector<Frame> frames_;
  std::optional<Error> error_;
};

}  // namespace

Result<json> parse_strict_json(std::string_view text) {
  try {
    DiagnosticSax sax(text);
    // sax_parse reports problems through the handler, never by throwing.
    const bool sax_ok = json::sax_parse(text, &sax);
    if (sax.error()) return *sax.error();
    json document = json::parse(text, nullptr, false);
    if (!sax_ok || document.is_discarded()) return make_error("not valid JSON");
    return document;
  } catch (const std::exception& e) {
    return make_error(std::string("not valid JSON: ") + e.what());
  }
}

}  // namespace tigress::conformance
