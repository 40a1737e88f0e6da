// The certificate the in-process benchmark servers present, and its PEM in a temporary file for
// the load generator's clients; the file goes when this does.
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "bench/relay_operations.hpp"
#include "common/result.hpp"
#include "reference/tls/tls_material.hpp"

namespace tigress::bench {

class BenchTls {
 public:
  static Result<std::unique_ptr<BenchTls>> create() {
    auto material = tls::generate_self_signed({"localhost"}, {"127.0.0.1"}, 1);
    if (!material) return material.error();
    const auto ca = std::filesystem::temp_directory_path() / ("tigress-bench-ca-" + fresh_uuid() + ".pem");
    std::ofstream(ca) << material->cert_pem;
    return std::unique_ptr<BenchTls>(new BenchTls(std::move(*material), ca.string()));
  }
  ~BenchTls() { std::filesystem::remove(ca_file_); }
  BenchTls(const BenchTls&) = delete;
  BenchTls& operator=(const BenchTls&) = delete;

  const tls::TlsMaterial& material() const { return material_; }
  const std::string& ca_file() const { return ca_file_; }

 private:
  BenchTls(tls::TlsMaterial material, std::string ca_file)
      : material_(std::move(material)), ca_file_(std::move(ca_file)) {}
  tls::TlsMaterial material_;
  std::string ca_file_;
};

}  // namespace tigress::bench
