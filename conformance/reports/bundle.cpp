// The certification bundle: everything needed to check and reproduce a run in one directory,
// sealed by a sha256sum-compatible manifest. Files are written through temporaries and renamed,
// and the old manifest is removed first, so an interrupted write leaves a bundle that fails
// `sha256sum -c` (or has no manifest) instead of one that verifies with stale contents.
#include <algorithm>
#include <array>
#include <cctype>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include "conformance/reports/report_text.hpp"
#include "conformance/reports/reports.hpp"

namespace tigress::conformance {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

// The catalogue is a few hundred kilobytes; a file this large is not one.
constexpr std::size_t kMaxCatalogueBytes = 64 * 1024 * 1024;

bool same_digest(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

Json expectations_record(const RunMetadata& metadata) {
  if (!metadata.expectations) return nullptr;
  const ExpectationsRecord& record = *metadata.expectations;
  return Json{{"file", "expectations.json"},
              {"given_as", record.file},
              {"sha256", record.sha256},
              {"entries", record.entries},
              {"allow_xpass", record.allow_xpass}};
}

std::string run_record(const RunSummary& summary, const Catalogue& catalogue, const RunMetadata& metadata,
                       const std::string& digest) {
  const Json record{
      {"schema", kRunRecordSchema},
      {"suite", Json{{"version", metadata.suite_version.empty() ? suite_version() : metadata.suite_version},
                     {"commit", metadata.suite_commit.empty() ? suite_commit() : metadata.suite_commit}}},
      {"catalogue", Json{{"version", catalogue.version.empty() ? metadata.catalogue_version : catalogue.version},
                         {"digest", digest},
                         {"file", "catalogue.json"}}},
      {"command_line", metadata.command_line},
      {"mode", metadata.mode},
      {"target", metadata.target},
      {"seed", metadata.seed},
      {"strict", metadata.strict},
      {"expectations", expectations_record(metadata)},
      {"started_at", report_detail::started_at(summary, metadata)},
      {"finished_at", report_detail::finished_at(summary, metadata)},
      {"elapsed_ms", report_detail::finite_ms(summary.elapsed_ms)}};
  return record.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

Status write_bundle_unchecked(const fs::path& dir, const RunSummary& summary, const Catalogue& catalogue,
                              const RunMetadata& metadata, const fs::path& catalogue_path,
                              const fs::path& expectations_path) {
  std::error_code ec;
  const fs::file_status status = fs::status(dir, ec);
  if (fs::exists(status)) {
    if (!fs::is_directory(status)) {
      return field_error(dir.string(), "exists and is not a directory");
    }
  } else {
    fs::create_directories(dir, ec);
    if (ec) return field_error(dir.string(), "cannot create directory: " + ec.message());
  }

  // The bundle must carry the catalogue the run was judged against: if the file changed after
  // it was loaded, copying it now would certify against text nobody ran.
  Result<std::string> catalogue_bytes = report_detail::read_file(catalogue_path, kMaxCatalogueBytes);
  if (!catalogue_bytes) return catalogue_bytes.error();
  const std::string digest = sha256_hex(*catalogue_bytes);
  if (digest.empty()) return make_error("SHA-256 failed (OpenSSL)");
  for (const std::string* expected : {&catalogue.digest, &metadata.catalogue_digest}) {
    if (!expected->empty() && !same_digest(*expected, digest)) {
      return field_error(catalogue_path.string(), "SHA-256 " + digest + " differs from the loaded catalogue's " +
                                                      *expected + "; was the file changed during the run?");
    }
  }

  // The same rule for the expectations file: the bundle carries the bytes the run was judged by.
  std::string expectations_bytes;
  if (!expectations_path.empty()) {
    if (!metadata.expectations) {
      return field_error(expectations_path.string(), "the run metadata records no expectations file");
    }
    Result<std::string> bytes = report_detail::read_file(expectations_path, kMaxCatalogueBytes);
    if (!bytes) return bytes.error();
    if (!same_digest(sha256_hex(*bytes), metadata.expectations->sha256)) {
      return field_error(expectations_path.string(), "changed since the run loaded it (SHA-256 differs); not bundled");
    }
    expectations_bytes = std::move(*bytes);
  }

  Result<std::string> json = render_json_report(summary, catalogue, metadata);
  if (!json) return json.error();
  Result<std::string> junit = render_junit_report(summary, metadata);
  if (!junit) return junit.error();
  Result<std::string> html = render_html_report(summary, catalogue, metadata);
  if (!html) return html.error();
  Result<std::string> markdown = render_markdown_report(summary, catalogue, metadata);
  if (!markdown) return markdown.error();

  std::vector<std::pair<std::string, std::string>> files;
  files.emplace_back("catalogue.json", std::move(*catalogue_bytes));
  if (!expectations_path.empty()) files.emplace_back("expectations.json", std::move(expectations_bytes));
  files.emplace_back("report.html", std::move(*html));
  files.emplace_back("report.md", std::move(*markdown));
  files.emplace_back("report.json", std::move(*json));
  files.emplace_back("report.xml", std::move(*junit));
  files.emplace_back("run.json", run_record(summary, catalogue, metadata, digest));
  // sha256sum does not care about order, but a fixed order makes two bundles diffable.
  std::sort(files.begin(), files.end());

  const fs::path manifest_path = dir / kBundleManifest;
  fs::remove(manifest_path, ec);
  if (ec) {
    return field_error(manifest_path.string(), "cannot remove the old manifest: " + ec.message());
  }

  std::string manifest;
  for (const auto& [name, content] : files) {
    if (Status written = report_detail::write_file_atomic(dir / name, content); !written) {
      return written;
    }
    const std::string hash = sha256_hex(content);
    if (hash.empty()) return make_error("SHA-256 failed (OpenSSL)");
    // Two spaces: sha256sum's text-mode separator, which `sha256sum -c` expects.
    manifest += hash + "  " + name + "\n";
  }
  return report_detail::write_file_atomic(manifest_path, manifest);
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    return {};
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0x0F];
  }
  return hex;
}

Status write_bundle(const fs::path& dir, const RunSummary& summary, const Catalogue& catalogue,
                    const RunMetadata& metadata, const fs::path& catalogue_path, const fs::path& expectations_path) {
  try {
    return write_bundle_unchecked(dir, summary, catalogue, metadata, catalogue_path, expectations_path);
  } catch (const std::exception& e) {
    return make_error(std::string("cannot write the bundle: ") + e.what());
  } catch (...) {
    return make_error("cannot write the bundle");
  }
}

}  // namespace tigress::conformance
