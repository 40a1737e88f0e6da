#include "conformance/reports/report_text.hpp"

#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

#include "common/markup_escape.hpp"
#include "harness/redaction.hpp"

namespace tigress::conformance::report_detail {
namespace {

constexpr std::string_view kHex = "0123456789ABCDEF";

void append_byte_escape(std::string& out, unsigned char byte) {
  out += "\\x";
  out += kHex[byte >> 4];
  out += kHex[byte & 0x0F];
}

void append_code_point_escape(std::string& out, std::uint32_t cp) {
  std::array<char, 8> digits{};
  auto [end, ec] = std::to_chars(digits.data(), digits.data() + digits.size(), cp, 16);
  (void)ec;  // 8 hex digits hold any uint32_t
  out += "\\u{";
  for (char* p = digits.data(); p != end; ++p) {
    out += static_cast<char>(*p >= 'a' ? *p - 'a' + 'A' : *p);
  }
  out += '}';
}

// Valid characters a reader should still see spelled out: C1 controls act as controls in some
// terminals and viewers; bidi controls reorder what the page shows (the "Trojan Source" trick);
// a BOM is invisible; U+FFFE/U+FFFF are not XML 1.0 characters at all.
bool needs_escape(std::uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;
}

// Length of the well-formed UTF-8 sequence starting at `i` and its code point; 0 when the bytes
// there are not one (overlong forms, surrogates, values above U+10FFFF, truncation).
std::size_t decode_utf8(std::string_view s, std::size_t i, std::uint32_t& cp) {
  const auto lead = static_cast<unsigned char>(s[i]);
  std::size_t length = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    cp = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    cp = lead & 0x0Fu;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    cp = lead & 0x07u;
  } else {
    return 0;
  }
  if (s.size() - i < length) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(s[i + k]);
    if ((next & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (next & 0x3Fu);
  }
  if (length == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return 0;
  if (length == 4 && (cp < 0x10000 || cp > 0x10FFFF)) return 0;
  return length;
}

Status io_error(const std::filesystem::path& path, const char* what, int error_number) {
  return field_error(path.string(), std::string(what) + ": " + std::strerror(error_number));
}

}  // namespace

std::string truncation_marker(std::size_t omitted_bytes) {
  return "\n[tigress-report: truncated, " + std::to_string(omitted_bytes) + " more bytes]";
}

std::string safe_text(std::string_view bytes, std::size_t max_bytes) {
  std::string out;
  out.reserve(std::min(bytes.size(), max_bytes) + 64);
  std::size_t i = 0;
  while (i < bytes.size()) {
    if (out.size() >= max_bytes) {
      out += truncation_marker(bytes.size() - i);
      break;
    }
    const auto byte = static_cast<unsigned char>(bytes[i]);
    if (byte < 0x80) {
      if (byte == '\n' || byte == '\t' || (byte >= 0x20 && byte < 0x7F)) {
        out += static_cast<char>(byte);
      } else if (byte == '\r') {
        // HTTP's CRLF would otherwise show a "\r" on every line of a wire log; a bare CR is
        // unusual enough to be worth showing.
        if (i + 1 >= bytes.size() || bytes[i + 1] != '\n') out += "\\r";
      } else {
        append_byte_escape(out, byte);
      }
      ++i;
      continue;
    }
    std::uint32_t cp = 0;
    const std::size_t length = decode_utf8(bytes, i, cp);
    if (length == 0) {
      append_byte_escape(out, byte);
      ++i;
    } else {
      if (needs_escape(cp))
        append_code_point_escape(out, cp);
      else
        out.append(bytes.substr(i, length));
      i += length;
    }
  }
  return out;
}

std::string render_untrusted(std::string_view bytes, std::size_t max_bytes) {
  std::string out;
  std::size_t position = 0;
  while (position < bytes.size()) {
    if (out.size() >= max_bytes) {
      out += truncation_marker(bytes.size() - position);
      break;
    }
    std::size_t end = bytes.find('\n', position);
    const bool last = end == std::string_view::npos;
    if (last) end = bytes.size();
    std::string_view line = bytes.substr(position, end - position);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // Line by line so the text keeps its shape whether or not printable() escapes newlines.
    out += harness::printable(line, max_bytes - out.size());
    if (!last) out += '\n';
    position = last ? bytes.size() : end + 1;
  }
  // printable()'s own marker may push past max_bytes a little; the slack keeps it intact.
  return safe_text(out, max_bytes + 512);
}

std::string escape_markup(std::string_view text, bool attribute) {
  return escape_markup_text(text, attribute ? MarkupWhitespace::kAttribute : MarkupWhitespace::kText);
}

std::string json_text(std::string_view bytes, std::size_t max_bytes) {
  if (bytes.size() <= max_bytes) return std::string(bytes);
  std::size_t cut = max_bytes;
  // Back off over continuation bytes so a valid character is not split into replacement marks.
  for (int step = 0; step < 3 && cut > 0 && (static_cast<unsigned char>(bytes[cut]) & 0xC0) == 0x80; ++step) {
    --cut;
  }
  return std::string(bytes.substr(0, cut)) + truncation_marker(bytes.size() - cut);
}

double finite_ms(double value) { return std::isfinite(value) && value > 0 ? value : 0.0; }

std::string format_fixed(double value, int decimals) {
  std::array<char, 64> buffer{};
  auto [end, ec] =
      std::to_chars(buffer.data(), buffer.data() + buffer.size(), finite_ms(value), std::chars_format::fixed, decimals);
  if (ec != std::errc()) return "0";  // only for absurd magnitudes
  return std::string(buffer.data(), end);
}

bool section_less(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return !a.empty() && b.empty();
  const auto numeric = [](std::string_view s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
  };
  const auto strip_zeros = [](std::string_view s) {
    const std::size_t nz = s.find_first_not_of('0');
    return nz == std::string_view::npos ? std::string_view{} : s.substr(nz);
  };
  while (!a.empty() && !b.empty()) {
    const std::size_t da = a.find('.'), db = b.find('.');
    std::string_view ca = a.substr(0, da), cb = b.substr(0, db);
    const bool na = numeric(ca), nb = numeric(cb);
    // Numbers sort before words (a total order: mixing the two kinds of comparison would not
    // be transitive, which std::sort requires).
    if (na != nb) return na;
    if (na) {
      // Compared as digit strings, so no component can overflow.
      ca = strip_zeros(ca);
      cb = strip_zeros(cb);
      if (ca.size() != cb.size()) return ca.size() < cb.size();
    }
    if (ca != cb) return ca < cb;
    a = da == std::string_view::npos ? std::string_view{} : a.substr(da + 1);
    b = db == std::string_view::npos ? std::string_view{} : b.substr(db + 1);
  }
  return a.size() < b.size();  // "6.5" before "6.5.4"
}

std::string started_at(const RunSummary& summary, const RunMetadata& metadata) {
  return metadata.started_at.empty() ? summary.started_at : metadata.started_at;
}

std::string finished_at(const RunSummary& summary, const RunMetadata& metadata) {
  return metadata.finished_at.empty() ? summary.finished_at : metadata.finished_at;
}

Status write_file(const std::filesystem::path& path, std::string_view content) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return io_error(path, "cannot open for writing", errno);
  const std::size_t written = std::fwrite(content.data(), 1, content.size(), file);
  const int write_errno = errno;
  const bool flushed = std::fflush(file) == 0;
  const int flush_errno = errno;
  const bool closed = std::fclose(file) == 0;
  if (written != content.size()) return io_error(path, "write failed", write_errno);
  if (!flushed || !closed) return io_error(path, "write failed", flushed ? errno : flush_errno);
  return {};
}

Status write_file_atomic(const std::filesystem::path& path, std::string_view content) {
  std::filesystem::path temporary = path;
  temporary.replace_filename("." + path.filename().string() + ".tmp");
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return io_error(temporary, "cannot open for writing", errno);
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int saved = errno;
      ::close(fd);
      ::unlink(temporary.c_str());
      return io_error(temporary, "write failed", saved);
    }
    done += static_cast<std::size_t>(n);
  }
  // A certification bundle should survive a crash right after it was reported as written.
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int saved = errno;
    ::unlink(temporary.c_str());
    return io_error(temporary, "write failed", saved);
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    ::unlink(temporary.c_str());
    return field_error(path.string(), "cannot rename into place: " + ec.message());
  }
  return {};
}

Result<std::string> read_file(const std::filesystem::path& path, std::size_t max_bytes) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return Error(io_error(path, "cannot open", errno).error());
  std::string content;
  std::array<char, 65536> buffer{};
  while (true) {
    const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), file);
    content.append(buffer.data(), n);
    if (content.size() > max_bytes) {
      std::fclose(file);
      return field_error(path.string(), "larger than " + std::to_string(max_bytes) + " bytes");
    }
    if (n < buffer.size()) break;
  }
  const bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) return field_error(path.string(), "read failed");
  return content;
}

}  // namespace tigress::conformance::report_detail
