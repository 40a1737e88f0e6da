#include "reference/crypto/random.hpp"

#include <pthread.h>

#include <array>
#include <atomic>
#include <climits>
#include <cstring>
#include <mutex>

#include <openssl/crypto.h>
#include <openssl/rand.h>

namespace tigress::crypto {
namespace {

// RAND_bytes fails only when the CSPRNG cannot be seeded; callers must never fall back to a
// weaker source, so the failure is reported instead.
Status draw(std::uint8_t* out, std::size_t count) {
  if (count > static_cast<std::size_t>(INT_MAX)) {
    return make_error("cannot request " + std::to_string(count) + " random octets at once");
  }
  if (count != 0 && RAND_bytes(out, static_cast<int>(count)) != 1) {
    return make_error("OpenSSL RAND_bytes failed (CSPRNG not seeded?)");
  }
  return {};
}

// Bumped in every forked child: a block taken before the fork is then never used again.
std::atomic<unsigned> fork_generation{0};

void forget_blocks_in_child() { fork_generation.fetch_add(1, std::memory_order_relaxed); }

class Block {
 public:
  ~Block() { OPENSSL_cleanse(octets_.data(), octets_.size()); }

  Status take(std::span<std::uint8_t> out) {
    const unsigned generation = fork_generation.load(std::memory_order_relaxed);
    if (generation != generation_ || left_ < out.size()) {
      if (auto refilled = draw(octets_.data(), octets_.size()); !refilled) return refilled;
      generation_ = generation;
      left_ = octets_.size();
    }
    std::uint8_t* from = octets_.data() + (octets_.size() - left_);
    std::memcpy(out.data(), from, out.size());
    OPENSSL_cleanse(from, out.size());  // what was handed out is not kept
    left_ -= out.size();
    return {};
  }

 private:
  std::array<std::uint8_t, 1024> octets_{};
  std::size_t left_ = 0;
  unsigned generation_ = 0;
};

}  // namespace

Status fill_random(std::span<std::uint8_t> out) {
  if (out.empty()) return {};  // an empty span may have no storage at all, not even for memcpy
  if (out.size() > kPooledDrawLimit) return draw(out.data(), out.size());
  static std::once_flag registered;
  std::call_once(registered, [] { pthread_atfork(nullptr, nullptr, forget_blocks_in_child); });
  thread_local Block block;
  return block.take(out);
}

Result<Bytes> random_bytes(std::size_t count) {
  if (count > static_cast<std::size_t>(INT_MAX)) {
    return make_error("cannot request " + std::to_string(count) + " random octets at once");
  }
  Bytes out(count);
  if (auto filled = fill_random(out); !filled) return filled.error();
  return out;
}

}  // namespace tigress::crypto
