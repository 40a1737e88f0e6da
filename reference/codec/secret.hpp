// Key material that must never reach a log or report: it prints as a redaction marker.
#pragma once

#include <ostream>
#include <string>

#include "common/result.hpp"

namespace tigress::codec {

class Secret {
 public:
  Secret() = default;
  explicit Secret(Bytes bytes) : bytes_(std::move(bytes)) {}

  // Deliberately named: every use of the raw key is easy to find in review.
  const Bytes& reveal() const { return bytes_; }
  std::size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }
  friend bool operator==(const Secret&, const Secret&) = default;

  friend std::ostream& operator<<(std::ostream& out, const Secret& secret) {
    return out << "<redacted " << secret.size() << "-byte secret>";
  }

 private:
  Bytes bytes_;
};

}  // namespace tigress::codec
