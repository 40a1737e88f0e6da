// The relay suite's health probe: one canonical Create (fresh claim and request ID) and the Delete
// of that mailbox, through the same client the cases use. Cheap enough to run after every case.
#pragma once

#include "conformance/framework/case_context.hpp"

namespace tigress::conformance {

// An error naming what the relay answered (a 5xx, no answer) when it does not serve the exchange.
Status probe_relay_health(const RunOptions& options);

}  // namespace tigress::conformance
