// The data folder lookup: the environment wins, otherwise share/tigress-suite beside bin/, and a
// missing file is one error line that names the path and the variable.
#include "reference/data/data_dir.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <unistd.h>
#include <fstream>
#include <string>

namespace tigress::data {
namespace {

namespace fs = std::filesystem;

// Sets or clears TIGRESS_DATA_DIR for one test and restores the caller's value.
class DataDirVariable {
 public:
  explicit DataDirVariable(const char* value) {
    if (const char* saved = std::getenv(kDataDirVariable)) saved_ = saved, had_ = true;
    if (value)
      ::setenv(kDataDirVariable, value, 1);
    else
      ::unsetenv(kDataDirVariable);
  }
  ~DataDirVariable() {
    if (had_)
      ::setenv(kDataDirVariable, saved_.c_str(), 1);
    else
      ::unsetenv(kDataDirVariable);
  }

 private:
  std::string saved_;
  bool had_ = false;
};

TEST(DataDir, BesideTheExecutablesBinFolder) {
  DataDirVariable unset(nullptr);
  const fs::path exe = fs::read_symlink("/proc/self/exe");
  EXPECT_EQ(data_dir(), exe.parent_path().parent_path() / "share" / "tigress-suite");
}

TEST(DataDir, EnvironmentOverrides) {
  DataDirVariable set("/opt/elsewhere/data");
  EXPECT_EQ(data_dir(), fs::path("/opt/elsewhere/data"));
  DataDirVariable empty("");
  EXPECT_NE(data_dir(), fs::path(""));  // an empty value counts as unset
}

TEST(DataDir, FindsExistingFilesAndNamesMissingOnes) {
  const fs::path root = fs::temp_directory_path() / ("tigress-data-dir-" + std::to_string(::getpid()));
  fs::create_directories(root / "vectors");
  std::ofstream(root / "requirements.json") << "{}";
  DataDirVariable set(root.c_str());
  Result<fs::path> found = find_data("requirements.json");
  ASSERT_TRUE(found.ok()) << found.error().message();
  EXPECT_EQ(*found, root / "requirements.json");
  EXPECT_TRUE(find_data("vectors").ok());
  Result<fs::path> missing = find_data("thirdparty/jsontestsuite");
  ASSERT_FALSE(missing.ok());
  const std::string message = missing.error().message();
  EXPECT_NE(message.find((root / "thirdparty/jsontestsuite").string()), std::string::npos) << message;
  EXPECT_NE(message.find("TIGRESS_DATA_DIR"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  fs::remove_all(root);
}

}  // namespace
}  // namespace tigress::data
