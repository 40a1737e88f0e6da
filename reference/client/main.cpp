// tigress-client: the reference client of the TIGRESS mailbox relay
// (draft-vinokurov-tigress-http-00). All logic lives in commands.cpp so the tests run it
// in-process; this file only adapts argv and the process environment.
#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include "reference/client/commands.hpp"

int main(int argc, char** argv) {
  // A relay that closes the connection mid-write must surface as an error, not kill us.
  std::signal(SIGPIPE, SIG_IGN);
  const std::vector<std::string> args(argv + 1, argv + argc);
  return tigress::client::run_cli(args, std::cout, std::cerr);
}
