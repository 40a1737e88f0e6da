#include "reference/relay/clock.hpp"

#include <chrono>

namespace tigress::relay {

codec::UnixSeconds SystemClock::now() const {
  // Floor to whole seconds: a mailbox whose expiration second has begun counts as expired.
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace tigress::relay
