// tigress-conform: the conformance suite's command line, one entry per mode. Each mode parses
// its own flag table (conformance/cli/shared_flags.hpp for the flags modes share) and hands its
// results to the one report writer (conformance/reports/run_reports.hpp).
#include <csignal>
#include <string>
#include <vector>

#include "conformance/cases/relay_mode.hpp"
#include "conformance/cli/mode_registry.hpp"
#include "conformance/client_cases/client_mode.hpp"
#include "conformance/fuzzclient/client_fuzz_mode.hpp"
#include "conformance/interop/interop_mode.hpp"
#include "conformance/model/model_mode.hpp"
#include "conformance/netfuzz/net_fuzz.hpp"
#include "conformance/replay/replay_mode.hpp"
#include "conformance/reports/expect_mode.hpp"

namespace {

using namespace tigress::conformance;

std::vector<Mode> modes() {
  return {
      {"relay", "run the relay conformance cases against --target URL", run_relay_mode},
      {"model", "random command sequences judged by the mailbox model (tigress-conform model --help)", run_model_mode},
      {"client",
       "run the client conformance cases against a client shim: --shim \"CMD ...\"\n"
       "(harness/SHIM.md; tigress-conform client --help)",
       run_client_mode},
      {"fuzz",
       "network fuzzer: mutated request sequences against --target URL for --duration D;\n"
       "finds 5xx, crashes, hangs and invariant breaks, saves minimised reproducers\n"
       "(JSON for --replay, curl script) in --out DIR (tigress-conform fuzz --help)",
       tigress::fuzz::run_network_fuzz},
      {"fuzz-client",
       "client response fuzzer: the instrumented relay answers --shim \"CMD ...\" with\n"
       "mutated answers for --duration D; finds crashes, hangs and unauthenticated output,\n"
       "saves minimised JSON reproducers for --replay (tigress-conform fuzz-client --help)",
       tigress::fuzz::client::run_client_fuzz_mode},
      {"replay",
       "replay the protocol transcripts of vectors/transcripts/ against --target URL\n"
       "(tigress-conform replay --help)",
       run_replay_mode},
      {"interop",
       "client x client x relay matrix through client shims: share, receive, reply, read,\n"
       "second device refused, delete (tigress-conform interop --help)",
       interop::run_interop_mode},
      {"expect",
       "write an expectations file from a JSON report: --from REPORT.json --out FILE\n"
       "(tigress-conform expect --help)",
       run_expect_mode},
  };
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  const tigress::cli::CommandHelp help{
      "usage: tigress-conform MODE [options]", "",
      relay_mode_options() +
          "\nEvery mode takes --report-json, --report-junit, --report-html, --report-markdown and\n"
          "--bundle (one report writer, schema tigress-report/1); `tigress-conform MODE --help` lists\n"
          "each mode's flags.\n"
          "\nExit status: 0 when nothing FAILed, ERRORed or was BLOCKED, no XPASS (unless --allow-xpass) and at\n"
          "least one case ran; 1 otherwise; 2 for usage errors; 3 when the target could not be tested (the\n"
          "preflight failed; no case ran). Modes that talk to a relay (relay, model, fuzz, replay, interop\n"
          "with URL relays) run the preflight first.\n"};
  return run_modes(modes(), help, std::vector<std::string>(argv, argv + argc));
}
