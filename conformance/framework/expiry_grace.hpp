// The expiry grace (AMB-16): how long after its expiration instant a mailbox may still be
// served. Draft section 4.3 deletes expired mailboxes when the relay checks, periodically, and
// names no period; the suite's decision (catalogue AMB-16) is that a mailbox served after the
// instant is the lenient reading and must be gone by the expiration plus this grace. Every mode
// that judges expiry (relay cases, model, replay) takes it from --expiry-grace with this one
// default and range (conformance/cli/shared_flags.hpp declares the flag).
#pragma once

namespace tigress::conformance {

inline constexpr int kDefaultExpiryGraceSeconds = 60;  // a sweep a minute
inline constexpr int kMaxExpiryGraceSeconds = 3600;

}  // namespace tigress::conformance
