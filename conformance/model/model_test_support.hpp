// What the stateful model's tests share: the reference relay's configuration (with a deliberate
// defect), a sequence check in process, a failure rendered for the test log.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "common/scratch_dir.hpp"
#include "conformance/model/commands.hpp"
#include "reference/relay/defects.hpp"

namespace tigress::model::test_support {

inline constexpr Seconds kMaxTtl = 48 * 3600;  // the reference relay's default cap

inline relay::RelayConfig config_with(const std::string& defect = {}) {
  relay::RelayConfig config;
  config.public_base_url = "https://relay.test";
  if (!defect.empty()) {
    const Status enabled = relay::enable_relay_defect(config.defects, defect);
    EXPECT_TRUE(enabled.ok()) << defect;
  }
  return config;
}

inline SequenceCheck in_process_check(std::uint64_t seed, int runs) {
  SequenceCheck check;
  check.seed = seed;
  check.runs = runs;
  check.max_steps = 50;             // RapidCheck ramps the size up over the runs: lengths 1..51, 13 on average
  check.options.max_ttl = kMaxTtl;  // the reference caps lifetimes; check it (MBX-EXP-05)
  return check;
}

inline std::string describe(const SequenceFailure& failure) {
  ScriptHeader header{"https://127.0.0.1:8443", "-k", "model failure", {failure.description}};
  return failure.description + "\n" + render_script(failure.script, header);
}

// A rendered script must be valid shell: `bash -n` on it (where bash is installed).
inline void expect_valid_shell(const std::string& text) {
  const ScratchDir dir("tigress-model-script");
  ASSERT_TRUE(dir.ok());
  std::ofstream(dir.file("script.sh")) << text;
  if (std::filesystem::exists("/bin/bash")) {
    EXPECT_EQ(std::system(("/bin/bash -n " + dir.file("script.sh")).c_str()), 0) << text;
  }
}

}  // namespace tigress::model::test_support
