#include "reference/data/data_dir.hpp"

#include <cstdlib>
#include <string>
#include <system_error>

namespace tigress::data {
namespace {

namespace fs = std::filesystem;

fs::path executable_dir() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  // Without /proc the working directory stands in, which a TIGRESS_DATA_DIR overrides anyway.
  return ec ? fs::current_path(ec) : self.parent_path();
}

}  // namespace

fs::path data_dir() {
  if (const char* env = std::getenv(kDataDirVariable); env != nullptr && *env != '\0') {
    return fs::path(env);
  }
  return (executable_dir() / ".." / "share" / "tigress-suite").lexically_normal();
}

Result<fs::path> find_data(std::string_view relative) {
  const fs::path path = data_dir() / fs::path(relative);
  std::error_code ec;
  if (fs::exists(path, ec)) return path;
  return make_error("tigress-suite data not found: " + path.string() + " (set " + kDataDirVariable +
                    " to the suite's share/tigress-suite folder)");
}

}  // namespace tigress::data
