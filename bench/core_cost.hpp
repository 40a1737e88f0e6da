// The relay core's own cost per operation: Relay::handle on the in-memory store, in this thread,
// no transport. Next to the HTTP figures it says how much of a ratio to a bare endpoint is the
// relay's work and how much is waiting on its store.
#pragma once

#include <map>
#include <string>

namespace tigress::bench {

// CPU microseconds per request (this thread's CPU clock, so other load on the machine does not
// inflate it) for create, read and update, each over `requests` requests; empty when a request
// was not answered 200.
std::map<std::string, double> core_cpu_microseconds(int requests);

}  // namespace tigress::bench
