// All randomness comes from OpenSSL's CSPRNG (RAND_bytes).
#pragma once

#include <cstddef>

#include "reference/codec/secret.hpp"
#include "common/result.hpp"

namespace tigress::crypto {

Result<Bytes> random_bytes(std::size_t count);

}  // namespace tigress::crypto
