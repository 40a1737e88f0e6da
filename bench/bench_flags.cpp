#include "bench/bench_flags.hpp"

#include <cstdlib>

#include "common/cli_flag_kinds.hpp"
#include "common/cli_numbers.hpp"

namespace tigress::bench {

void add_load_flags(cli::FlagTable& table, int& clients, double& seconds, const std::string& seconds_help) {
  table.add(cli::count_flag("--clients", "N", "concurrent clients (default " + std::to_string(clients) + ")",
                            {1, 512, ""}, clients));
  table.add({"--seconds", "S", seconds_help + "; above 0, at most 600", [&seconds](const std::string& value) -> Status {
               char* end = nullptr;
               const double parsed = std::strtod(value.c_str(), &end);
               if (value.empty() || end != value.c_str() + value.size() || !(parsed > 0 && parsed <= 600)) {
                 return make_error("takes a number of seconds above 0, at most 600");
               }
               seconds = parsed;
               return {};
             }});
}

cli::Flag count_list_flag(std::string name, std::string help, std::size_t max, std::vector<std::size_t>& target) {
  return {
      std::move(name), "N[,N...]", std::move(help) + " (default " + join_counts(target) + ")",
      [max, &target](const std::string& value) -> Status {
        std::vector<std::size_t> counts;
        std::size_t start = 0;
        for (;;) {
          const std::size_t comma = value.find(',', start);
          const auto count = cli::parse_count(value.substr(start, comma == std::string::npos ? comma : comma - start));
          if (!count || static_cast<std::size_t>(*count) > max ||
              (!counts.empty() && static_cast<std::size_t>(*count) <= counts.back())) {
            return make_error("takes ascending whole numbers separated by commas, each at most " + std::to_string(max));
          }
          counts.push_back(static_cast<std::size_t>(*count));
          if (comma == std::string::npos) break;
          start = comma + 1;
        }
        target = std::move(counts);
        return {};
      }};
}

std::string join_counts(const std::vector<std::size_t>& counts) {
  std::string text;
  for (const auto count : counts) text += (text.empty() ? "" : ",") + std::to_string(count);
  return text;
}

}  // namespace tigress::bench
