// The value of `tigress-relay --store`: "memory" (the default, this process only) or
// "redis://HOST:PORT[/DB]" (shared by every relay process pointed at the same server).
#pragma once

#include <optional>
#include <string_view>

#include "reference/relay/redis_connection.hpp"
#include "common/result.hpp"

namespace tigress::relay {

// nullopt inside: the in-memory store. Errors are one line naming what is wrong.
Result<std::optional<RedisEndpoint>> parse_store_url(std::string_view text);

}  // namespace tigress::relay
