// What the tests that drive a real relay share, beside common/scratch_dir.hpp: a loopback port
// nothing listens on, tigress-relay started as a child process (self-signed, its CA written out)
// once it listens, reading back a report, and a gtest parameter name from a defect or reading
// name. Header-only, for tests.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "common/scratch_dir.hpp"
#include "harness/process.hpp"

namespace tigress::harness::test_support {

#ifdef TIGRESS_BIN_DIR
// Where the build put the programs the test runs (its PROGRAMS).
inline const std::string kBin = TIGRESS_BIN_DIR;
#endif

// A loopback TCP port nobody listens on: bound once, then closed. 0 when no socket could be had.
inline std::uint16_t unused_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                     ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  ::close(fd);
  return bound ? ntohs(address.sin_port) : 0;
}

// tigress-relay as a child process on 127.0.0.1 (a free port), with a self-signed certificate
// whose PEM it writes to `ca_path`.
struct RelayProcess {
  ChildProcess process;
  std::string url;  // "https://127.0.0.1:PORT"
  std::string ca;   // the PEM file
};

// Starts `bin_dir`/tigress-relay with `extra` arguments and waits (up to 20 s) for its
// "listening on URL" line.
inline Result<RelayProcess> start_relay_process(const std::string& bin_dir, const std::filesystem::path& ca_path,
                                                const std::vector<std::string>& extra = {}) {
  std::vector<std::string> argv = {
      bin_dir + "/tigress-relay", "--listen", "127.0.0.1:0", "--self-signed", "--cert-out", ca_path.string()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  auto child = ChildProcess::start(argv, /*quiet_stderr=*/true);
  if (!child) return child.error();
  auto url = child->wait_for_line_prefix("listening on ", std::chrono::seconds(20));
  if (!url) return url.error();
  return RelayProcess{std::move(*child), std::move(*url), ca_path.string()};
}

// The whole file; empty when it cannot be read.
inline std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A report written as JSON; discarded when missing or not JSON.
inline nlohmann::json read_json_file(const std::filesystem::path& path) {
  return nlohmann::json::parse(read_text_file(path), nullptr, /*allow_exceptions=*/false);
}

// A gtest parameter name from a defect or reading name ("racy-binding" -> "racy_binding").
inline std::string test_param_name(std::string name) {
  for (auto& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

}  // namespace tigress::harness::test_support
