// Flags the benchmark programs share, declared once: the load (--clients, --seconds) and the
// comma-separated size lists that scale a run up or down.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/cli_flags.hpp"

namespace tigress::bench {

// --clients N (1..512) and --seconds S (a number above 0, at most 600) into `table`.
void add_load_flags(cli::FlagTable& table, int& clients, double& seconds, const std::string& seconds_help);

// --name N[,N...]: whole numbers, ascending, each at most `max`.
cli::Flag count_list_flag(std::string name, std::string help, std::size_t max, std::vector<std::size_t>& target);

// "1,2,3".
std::string join_counts(const std::vector<std::size_t>& counts);

}  // namespace tigress::bench
