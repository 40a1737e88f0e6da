#include "reference/crypto/random.hpp"

#include <climits>

#include <openssl/rand.h>

namespace tigress::crypto {

Result<Bytes> random_bytes(std::size_t count) {
  if (count > static_cast<std::size_t>(INT_MAX)) {
    return make_error("cannot request " + std::to_string(count) + " random octets at once");
  }
  Bytes out(count);
  if (count == 0) return out;
  // RAND_bytes fails only when the CSPRNG cannot be seeded; callers must never fall back to a
  // weaker source, so the failure is reported instead.
  if (RAND_bytes(out.data(), static_cast<int>(count)) != 1) {
    return make_error("OpenSSL RAND_bytes failed (CSPRNG not seeded?)");
  }
  return out;
}

}  // namespace tigress::crypto
