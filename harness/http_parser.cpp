#include "harness/http_parser.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include "harness/http_text.hpp"
#include "harness/redaction.hpp"

namespace tigress::harness::detail {
namespace {

// A chunk-size line is a hex number and optional extensions; nothing legitimate needs more, and
// a bound keeps an endless "extension" from growing the buffer.
constexpr std::size_t kMaxChunkLine = 4096;

std::optional<std::uint64_t> parse_decimal(std::string_view digits) {
  // 19 digits always fit in 64 bits; longer lengths are nonsense from any real server.
  if (digits.empty() || digits.size() > 19) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

Error malformed(const std::string& what) { return make_error("malformed response: " + what); }

}  // namespace

ResponseParser::ResponseParser(std::size_t max_header_bytes, std::size_t max_body_bytes, bool head_request)
    : max_header_bytes_(max_header_bytes), max_body_bytes_(max_body_bytes), head_request_(head_request) {}

Status ResponseParser::feed(std::string_view data) {
  if (data.empty() || done()) return {};
  received_anything_ = true;
  pending_.append(data);
  return process();
}

bool ResponseParser::in_header_section() const {
  return state_ == State::kStatusLine || state_ == State::kHeaders || state_ == State::kTrailers;
}

Status ResponseParser::process() {
  std::size_t pos = 0;
  Status status;
  while (status.ok() && state_ != State::kDone && pos < pending_.size()) {
    const std::string_view available = std::string_view(pending_).substr(pos);
    switch (state_) {
      case State::kBodyLength:
      case State::kChunkData: {
        const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(body_remaining_, available.size()));
        pos += take;
        body_remaining_ -= take;
        if (append_body(available.substr(0, take))) break;
        if (body_remaining_ > 0 && response_.body.size() >= max_body_bytes_) {
          // The target announced more than the limit: no need to wait for the next byte.
          response_.body_truncated = true;
          state_ = State::kDone;
        } else if (body_remaining_ == 0) {
          state_ = state_ == State::kBodyLength ? State::kDone : State::kChunkDataEnd;
        }
        break;
      }
      case State::kBodyUntilClose:
        pos = pending_.size();
        append_body(available);
        break;
      default: {
        if (state_ == State::kStatusLine) {
          // Reject a non-HTTP answer (a TLS alert, a banner) at once rather than at a newline.
          constexpr std::string_view kPrefix = "HTTP/";
          const std::size_t n = std::min(available.size(), kPrefix.size());
          if (available.substr(0, n) != kPrefix.substr(0, n)) {
            return make_error("not an HTTP response: starts with \"" + printable(available.substr(0, 16), 64) + "\"");
          }
        }
        const std::size_t newline = available.find('\n');
        const std::size_t line_bytes = newline == std::string_view::npos ? available.size() : newline + 1;
        if (in_header_section() && header_bytes_ + line_bytes > max_header_bytes_) {
          return make_error(std::string("response ") + (state_ == State::kTrailers ? "trailer" : "header") +
                            " section exceeds " + std::to_string(max_header_bytes_) + " bytes");
        }
        if (!in_header_section() && line_bytes > kMaxChunkLine) {
          return malformed("chunked encoding line longer than " + std::to_string(kMaxChunkLine) + " bytes");
        }
        if (newline == std::string_view::npos) {
          pending_.erase(0, pos);  // keep the partial line and wait for the rest
          return {};
        }
        if (in_header_section()) header_bytes_ += line_bytes;
        std::string_view line = available.substr(0, newline);
        // CRLF is the terminator; a bare LF is tolerated as RFC 9112 section 2.2 allows.
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        pos += line_bytes;
        status = on_line(line);
      }
    }
  }
  pending_.erase(0, pos);
  return status;
}

Status ResponseParser::on_line(std::string_view line) {
  switch (state_) {
    case State::kStatusLine:
      return on_status_line(line);
    case State::kHeaders:
      if (line.empty()) return on_headers_complete();
      return on_header_line(line);
    case State::kChunkSize:
      return on_chunk_size_line(line);
    case State::kChunkDataEnd:
      if (!line.empty()) return malformed("chunk data not followed by CRLF");
      state_ = State::kChunkSize;
      return {};
    case State::kTrailers:
      // Trailer fields are bounded by the header limit and otherwise ignored.
      if (line.empty()) state_ = State::kDone;
      return {};
    default:
      return malformed("internal parser state");
  }
}

Status ResponseParser::on_status_line(std::string_view line) {
  constexpr std::size_t kVersionLength = 8;  // "HTTP/1.1"
  const std::string_view version = line.substr(0, kVersionLength);
  if (version != "HTTP/1.1" && version != "HTTP/1.0") {
    return malformed("unsupported version in status line \"" + printable(line, 128) + "\"");
  }
  const std::string_view rest = line.substr(version.size());
  const bool digits = rest.size() >= 4 && rest[0] == ' ' && rest[1] >= '1' && rest[1] <= '9' && rest[2] >= '0' &&
                      rest[2] <= '9' && rest[3] >= '0' && rest[3] <= '9';
  if (!digits || (rest.size() > 4 && rest[4] != ' ')) {
    return malformed("status line \"" + printable(line, 128) + "\"");
  }
  response_.status = (rest[1] - '0') * 100 + (rest[2] - '0') * 10 + (rest[3] - '0');
  response_.reason = std::string(rest.size() > 5 ? rest.substr(5) : std::string_view());
  state_ = State::kHeaders;
  return {};
}

Status ResponseParser::on_header_line(std::string_view line) {
  if (line.front() == ' ' || line.front() == '\t') {
    // Obsolete line folding: RFC 9112 section 5.2 lets a user agent replace it with a space.
    if (response_.headers.empty()) return malformed("continuation line before any header field");
    auto& value = response_.headers.back().second;
    value += ' ';
    value += trim_ows(line);
    return {};
  }
  const std::size_t colon = line.find(':');
  const std::string_view name = line.substr(0, colon);
  if (colon == std::string_view::npos || name.empty() || !std::all_of(name.begin(), name.end(), is_tchar)) {
    return malformed("header line \"" + printable(line, 128) + "\"");
  }
  response_.headers.emplace_back(std::string(name), std::string(trim_ows(line.substr(colon + 1))));
  return {};
}

Status ResponseParser::on_headers_complete() {
  const int status = response_.status;
  if (status >= 100 && status < 200 && status != 101) {
    // Interim responses (100 Continue, 103 Early Hints) precede the real one; their bytes keep
    // counting against the header limit so an endless stream of them still ends.
    response_.status = 0;
    response_.reason.clear();
    response_.headers.clear();
    state_ = State::kStatusLine;
    return {};
  }
  if (head_request_ || status < 200 || status == 204 || status == 304) {
    state_ = State::kDone;
    return {};
  }
  std::string transfer_coding;
  std::optional<std::uint64_t> length;
  bool has_length = false;
  for (const auto& [name, value] : response_.headers) {
    if (iequals(name, "Transfer-Encoding")) {
      transfer_coding += transfer_coding.empty() ? value : "," + value;
    } else if (iequals(name, "Content-Length")) {
      // "5, 5" or repeated equal fields are one length; anything else is ambiguous framing.
      std::string_view values = value;
      while (true) {
        const std::size_t comma = values.find(',');
        const auto parsed = parse_decimal(trim_ows(values.substr(0, comma)));
        if (!parsed) return malformed("invalid Content-Length \"" + printable(value, 64) + "\"");
        if (has_length && *length != *parsed) return malformed("conflicting Content-Length values");
        length = parsed;
        has_length = true;
        if (comma == std::string_view::npos) break;
        values.remove_prefix(comma + 1);
      }
    }
  }
  if (!transfer_coding.empty()) {
    // Transfer-Encoding overrides Content-Length (RFC 9112 section 6.3); only a final
    // "chunked" delimits the body, any other coding runs until the connection closes.
    std::string_view last = transfer_coding;
    if (const std::size_t comma = last.rfind(','); comma != std::string_view::npos) last.remove_prefix(comma + 1);
    state_ = iequals(trim_ows(last), "chunked") ? State::kChunkSize : State::kBodyUntilClose;
    return {};
  }
  if (has_length) {
    body_remaining_ = *length;
    state_ = *length == 0 ? State::kDone : State::kBodyLength;
    return {};
  }
  state_ = State::kBodyUntilClose;
  return {};
}

Status ResponseParser::on_chunk_size_line(std::string_view line) {
  std::size_t digits = 0;
  std::uint64_t size = 0;
  while (digits < line.size() && std::isxdigit(static_cast<unsigned char>(line[digits]))) {
    if (digits == 15) return malformed("chunk size too large");
    const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(line[digits])));
    size = size * 16 + static_cast<std::uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
    ++digits;
  }
  const std::string_view rest = trim_ows(line.substr(digits));
  if (digits == 0 || (!rest.empty() && rest.front() != ';')) {
    return malformed("chunk size line \"" + printable(line, 64) + "\"");
  }
  if (size == 0) {
    state_ = State::kTrailers;
  } else {
    body_remaining_ = size;
    state_ = State::kChunkData;
  }
  return {};
}

bool ResponseParser::append_body(std::string_view data) {
  const std::size_t room = max_body_bytes_ - response_.body.size();
  if (data.size() > room) {
    response_.body.append(data.substr(0, room));
    response_.body_truncated = true;
    state_ = State::kDone;
    return true;
  }
  response_.body.append(data);
  return false;
}

Status ResponseParser::finish() {
  switch (state_) {
    case State::kDone:
      return {};
    case State::kBodyUntilClose:
      state_ = State::kDone;
      return {};
    case State::kStatusLine:
      if (!received_anything_) return make_error("connection closed by the target without a response");
      [[fallthrough]];
    case State::kHeaders:
      return make_error("connection closed inside the response header section");
    case State::kBodyLength:
      return make_error("connection closed after " + std::to_string(response_.body.size()) + " of " +
                        std::to_string(response_.body.size() + body_remaining_) + " body bytes");
    default:
      return make_error("connection closed inside the chunked body");
  }
}

}  // namespace tigress::harness::detail
