// Where the programs find their data (catalogue, vectors, transcripts, third-party corpora, fuzz
// dictionaries and seeds, SHIM.md): $TIGRESS_DATA_DIR if set, else share/tigress-suite beside
// the executable's bin/ folder. The build tree is laid out like an install, so build/bin/* and
// an installed or relocated copy find their data the same way and no source path is compiled in.
#pragma once

#include <filesystem>
#include <string_view>

#include "common/result.hpp"

namespace tigress::data {

inline constexpr const char* kDataDirVariable = "TIGRESS_DATA_DIR";

// The data folder, whether or not it exists.
std::filesystem::path data_dir();

// data_dir() / relative when it exists; otherwise one line naming the missing path and how to
// point the suite at its data.
Result<std::filesystem::path> find_data(std::string_view relative);

}  // namespace tigress::data
