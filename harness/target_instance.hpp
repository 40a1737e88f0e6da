// One address of a deployment under test and how to trust it. A deployment reachable at several
// addresses (instances behind a load balancer) is a list of these; with one --ca per --target
// each instance has a CA of its own.
#pragma once

#include "harness/wire_client.hpp"

namespace tigress::harness {

struct TargetInstance {
  Target target;
  TlsOptions tls;
};

}  // namespace tigress::harness
