// A cursor over the fuzzer's bytes. Structured targets read small selectors and length-prefixed
// strings from it; when the bytes run out every read yields zero/empty, so any input is a
// complete, deterministic program (libFuzzer can truncate freely without wasting executions).
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

namespace tigress::fuzz {

class FuzzInput {
 public:
  FuzzInput(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  bool empty() const { return pos_ >= size_; }

  std::uint8_t byte() { return empty() ? 0 : data_[pos_++]; }

  // A string of at most `max` bytes whose length is the next byte (mod max + 1).
  std::string str(std::size_t max = 255) {
    const std::size_t want = byte() % (max + 1);
    const std::size_t n = std::min(want, size_ - std::min(pos_, size_));
    std::string out(reinterpret_cast<const char*>(data_) + pos_, n);
    pos_ += n;
    return out;
  }

  // Everything not read yet.
  std::string rest() {
    if (empty()) return {};
    std::string out(reinterpret_cast<const char*>(data_) + pos_, size_ - pos_);
    pos_ = size_;
    return out;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

// Invariant breaks stop the run at once (libFuzzer reports a crash; the replay driver dies).
[[noreturn]] inline void invariant_failed() { __builtin_trap(); }
inline void require(bool condition) {
  if (!condition) invariant_failed();
}

}  // namespace tigress::fuzz
