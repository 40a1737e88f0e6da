// tigress-vectors: regenerates the test vectors of vectors/ deterministically and checks the
// reference implementation against them (vectors/README.md).
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "reference/data/data_dir.hpp"
#include "vectors/tool/generators.hpp"
#include "vectors/tool/verifiers.hpp"

namespace {

using namespace tigress::vectors;

constexpr const char* kUsage = R"(usage: tigress-vectors generate [--out DIR]
       tigress-vectors verify [DIR]

generate  writes every vector file (default DIR: vectors/ in the suite's data folder); the output
          depends only on fixed seeds, so regenerating gives byte-identical files
verify    checks the reference codecs, AEAD wrapper and relay core against every vector file
          under DIR (default: vectors/ in the suite's data folder) and prints the count per file and result

The data folder is $TIGRESS_DATA_DIR, else share/tigress-suite beside the program's bin/ folder.

Exit status: 0 on success, 1 when a file could not be written or a vector disagrees, 2 for
usage errors.
)";

int generate(const std::filesystem::path& out) {
  auto files = generate_everything();
  if (!files) {
    std::cerr << "tigress-vectors: " << files.error().message() << "\n";
    return 1;
  }
  for (const auto& file : *files) {
    if (auto written = write_text_file(out / file.relative_path, serialize(file.content)); !written) {
      std::cerr << "tigress-vectors: " << written.error().message() << "\n";
      return 1;
    }
  }
  std::cout << "wrote " << files->size() << " files to " << out.string() << "\n";
  return 0;
}

int verify(const std::filesystem::path& dir) {
  auto reports = verify_directory(dir);
  if (!reports) {
    std::cerr << "tigress-vectors: " << reports.error().message() << "\n";
    return 1;
  }
  int failures = 0, total = 0;
  for (const auto& r : *reports) {
    std::string counts;
    for (const auto& [result, count] : r.by_result) counts += " " + result + "=" + std::to_string(count);
    std::printf("%-4s %-42s %4d%s\n", r.failures.empty() ? "OK" : "FAIL", r.path.c_str(), r.tests, counts.c_str());
    for (std::size_t i = 0; i < r.failures.size() && i < 20; ++i) std::printf("       %s\n", r.failures[i].c_str());
    failures += static_cast<int>(r.failures.size());
    total += r.tests;
  }
  std::printf("%d vectors and transcript steps in %zu files, %d failures\n", total, reports->size(), failures);
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  const std::filesystem::path default_dir = tigress::data::data_dir() / "vectors";
  if (args.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  if (args[0] == "--help" || args[0] == "-h") {
    std::cout << kUsage;
    return 0;
  }
  if (args[0] == "generate") {
    if (args.size() == 1) return generate(default_dir);
    if (args.size() == 3 && args[1] == "--out") return generate(args[2]);
  } else if (args[0] == "verify") {
    if (args.size() == 1) return verify(default_dir);
    if (args.size() == 2) return verify(args[1]);
  }
  std::cerr << kUsage;
  return 2;
}
