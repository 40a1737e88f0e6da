// All randomness comes from OpenSSL's CSPRNG (RAND_bytes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "reference/codec/secret.hpp"
#include "common/result.hpp"

namespace tigress::crypto {

Result<Bytes> random_bytes(std::size_t count);

// Fills `out` with CSPRNG octets. Draws of up to kPooledDrawLimit octets come from a block this
// thread took from RAND_bytes in one call: RAND_bytes costs about a microsecond per call however
// few octets it returns, and the relay draws 16 for every mailbox it makes. A process forked
// from this one starts with no block, so parent and child never hand out the same octets.
inline constexpr std::size_t kPooledDrawLimit = 64;
Status fill_random(std::span<std::uint8_t> out);

}  // namespace tigress::crypto
