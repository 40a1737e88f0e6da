// The relay suite's health probe: one canonical Create (fresh claim and request ID) and the Delete
// of that mailbox, through the same client the cases use. Cheap enough to run after every case.
#pragma once

#include "conformance/framework/case_context.hpp"

namespace tigress::conformance {

// An error naming what the relay answered (a 5xx, no answer) when it does not serve the exchange.
Status probe_relay_health(const RunOptions& options);
// The probe against each of options.instances() on its own, so that one instance that stopped
// serving is seen even while the others serve; the error names that instance.
Status probe_every_instance(const RunOptions& options);

}  // namespace tigress::conformance
