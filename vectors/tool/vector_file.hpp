// Shared pieces of the test-vector generator and verifier: a deterministic PRNG (vectors must
// be byte-identical on every regeneration, so nothing here touches the system CSPRNG), hex
// helpers, and the Wycheproof-like file skeleton every vector file uses.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace tigress::vectors {

// ordered_json keeps members in insertion order, which makes the files stable and readable
// (tcId first, result last) independently of nlohmann's map ordering.
using OJson = nlohmann::ordered_json;

// SplitMix64: tiny, well-known, and identical on every platform, so a fixed seed reproduces the
// same vectors everywhere.
class DeterministicRng {
 public:
  explicit DeterministicRng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  std::uint64_t below(std::uint64_t bound);  // uniform enough for test data; bound > 0
  Bytes bytes(std::size_t count);
  std::string printable(std::size_t count);  // ASCII 0x20..0x7E

 private:
  std::uint64_t state_;
};

std::string to_hex(const Bytes& bytes);
Result<Bytes> from_hex(std::string_view hex);
Bytes to_bytes(std::string_view text);

// One vector file under construction: header, notes (flag -> meaning), groups of tests.
class VectorFile {
 public:
  // `check` says what confirms the expected values (an independent oracle, the construction, the
  // reference implementation); it becomes every group's source.check.
  VectorFile(std::string algorithm, std::string schema, std::vector<std::string> header, std::string check);

  void note(const std::string& flag, const std::string& bug_type, const std::string& description);
  // Appends a group (its parameters given, plus its source) and returns its index for add_test.
  std::size_t group(OJson parameters);
  // A new test skeleton {tcId, comment, flags}; the caller adds inputs, outputs and "result",
  // then passes it to add_test.
  OJson test(const std::string& comment, const std::vector<std::string>& flags);
  void add_test(std::size_t group_index, OJson test);
  // The finished document, tcIds numbered in file order. Fails when a test uses a flag without
  // a note or lacks a result.
  Result<OJson> finish() const;

 private:
  std::string algorithm_;
  std::string schema_;
  std::vector<std::string> header_;
  std::string check_;
  OJson notes_ = OJson::object();
  std::vector<OJson> groups_;
  int next_id_ = 1;
};

// A generated file: its path relative to the vectors folder and its content.
struct GeneratedFile {
  std::string relative_path;
  OJson content;
};

// Stable serialisation: two-space indentation, UTF-8 as is, one trailing newline.
std::string serialize(const OJson& document);
Status write_text_file(const std::filesystem::path& path, const std::string& text);
Result<std::string> read_text_file(const std::filesystem::path& path);

// The version every file carries (generatorVersion, and source.version of every group); bump
// when a file's meaning changes.
inline constexpr std::string_view kVectorsVersion = "1.2.0";

}  // namespace tigress::vectors
