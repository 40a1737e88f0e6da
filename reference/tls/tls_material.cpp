#include "reference/tls/tls_material.hpp"

#include <fstream>
#include <memory>
#include <sstream>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/bn.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace tigress::tls {
namespace {

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

Error openssl_error(const std::string& what) {
  unsigned long code = ERR_get_error();
  char text[256] = {};
  if (code != 0) ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return make_error(what + (code != 0 ? std::string(": ") + text : std::string()));
}

std::string bio_to_string(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

bool add_extension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (ext == nullptr) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("cannot open " + path);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace

Result<TlsMaterial> generate_self_signed(const std::vector<std::string>& dns_names,
                                         const std::vector<std::string>& ip_addresses, int valid_days) {
  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return openssl_error("key generation failed");
  X509Ptr cert(X509_new());
  if (!cert) return openssl_error("certificate allocation failed");
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) return openssl_error("serial generation failed");
  serial[0] &= 0x7F;  // a positive INTEGER
  BIGNUM* serial_bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(serial_bn, X509_get_serialNumber(cert.get()));
  BN_free(serial_bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400L * valid_days);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  const std::string common_name = dns_names.empty() ? "tigress-relay" : dns_names.front();
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                             -1, 0);
  X509_set_issuer_name(cert.get(), name);
  std::string san;
  for (const auto& dns : dns_names) san += (san.empty() ? "DNS:" : ",DNS:") + dns;
  for (const auto& ip : ip_addresses) san += (san.empty() ? "IP:" : ",IP:") + ip;
  if (!san.empty() && !add_extension(cert.get(), NID_subject_alt_name, san)) {
    return openssl_error("subjectAltName rejected");
  }
  // Self-signed and used as its own trust anchor by test clients, so it is marked as a CA.
  if (!add_extension(cert.get(), NID_basic_constraints, "critical,CA:TRUE") ||
      !add_extension(cert.get(), NID_key_usage, "critical,digitalSignature,keyCertSign")) {
    return openssl_error("extension rejected");
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) return openssl_error("signing failed");

  BioPtr cert_bio(BIO_new(BIO_s_mem()));
  BioPtr key_bio(BIO_new(BIO_s_mem()));
  if (!cert_bio || !key_bio || PEM_write_bio_X509(cert_bio.get(), cert.get()) != 1 ||
      PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return openssl_error("PEM encoding failed");
  }
  return TlsMaterial{bio_to_string(cert_bio.get()), bio_to_string(key_bio.get())};
}

Result<TlsMaterial> load_tls_material(const std::string& cert_path, const std::string& key_path) {
  auto cert = read_file(cert_path);
  if (!cert) return cert.error();
  auto key = read_file(key_path);
  if (!key) return key.error();
  return TlsMaterial{std::move(*cert), std::move(*key)};
}

Status configure_server_context(SSL_CTX& context, const TlsMaterial& material) {
  BioPtr cert_bio(BIO_new_mem_buf(material.cert_pem.data(), static_cast<int>(material.cert_pem.size())));
  BioPtr key_bio(BIO_new_mem_buf(material.key_pem.data(), static_cast<int>(material.key_pem.size())));
  if (!cert_bio || !key_bio) return openssl_error("out of memory");
  X509Ptr cert(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr));
  if (!cert) return openssl_error("certificate is not PEM");
  PkeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  if (!key) return openssl_error("private key is not PEM");
  // Any further certificates in the PEM form the chain sent to clients.
  while (X509* extra = PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr)) {
    if (SSL_CTX_add0_chain_cert(&context, extra) != 1) {
      X509_free(extra);
      return openssl_error("chain certificate rejected");
    }
  }
  ERR_clear_error();  // the loop ends on an expected "no start line"
  if (SSL_CTX_set_min_proto_version(&context, TLS1_2_VERSION) != 1) {
    return openssl_error("cannot set minimum TLS version");
  }
  SSL_CTX_set_options(&context, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  if (SSL_CTX_use_certificate(&context, cert.get()) != 1) return openssl_error("certificate rejected");
  if (SSL_CTX_use_PrivateKey(&context, key.get()) != 1) return openssl_error("private key rejected");
  if (SSL_CTX_check_private_key(&context) != 1) return openssl_error("key does not match certificate");
  return {};
}

Status require_client_certificates(SSL_CTX& context, const std::string& ca_file) {
  if (SSL_CTX_load_verify_locations(&context, ca_file.c_str(), nullptr) != 1) {
    return openssl_error("cannot load client CA file " + ca_file);
  }
  STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(ca_file.c_str());
  if (names == nullptr) return openssl_error("no CA certificate in " + ca_file);
  SSL_CTX_set_client_CA_list(&context, names);  // takes ownership
  SSL_CTX_set_verify(&context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  return {};
}

}  // namespace tigress::tls
