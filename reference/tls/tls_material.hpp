// Certificates and keys for the relay's TLS endpoint, and the one place TLS server settings are
// decided (section 4.2 / 8.1.1: HTTPS only; TLS 1.2 is the floor).
#pragma once

#include <string>
#include <vector>

#include <openssl/ssl.h>

#include "common/result.hpp"

namespace tigress::tls {

struct TlsMaterial {
  std::string cert_pem;
  std::string key_pem;  // secret: never logged
};

// A fresh P-256 key and a self-signed certificate valid for `valid_days`, with the given DNS and
// IP subject alternative names (clients verifying 127.0.0.1 need an IP SAN).
Result<TlsMaterial> generate_self_signed(const std::vector<std::string>& dns_names,
                                         const std::vector<std::string>& ip_addresses, int valid_days);

Result<TlsMaterial> load_tls_material(const std::string& cert_path, const std::string& key_path);

// Installs certificate and key into a server context and sets TLS >= 1.2 and no compression.
Status configure_server_context(SSL_CTX& context, const TlsMaterial& material);

// Mutual TLS: clients must present a certificate that chains to a CA of `ca_file` (PEM).
Status require_client_certificates(SSL_CTX& context, const std::string& ca_file);

}  // namespace tigress::tls
