// The relay core's responses: JSON bodies, error bodies (codec::error_body) and the empty 200.
#pragma once

#include <string>
#include <string_view>

#include "reference/relay/http_types.hpp"

namespace tigress::relay::answers {

Response json_response(int status, std::string body);
Response error(int status, std::string_view code, const std::string& detail);
Response bad_request(const std::string& detail);
Response unauthorized(const std::string& detail);
Response not_found(const std::string& detail);
Response method_not_allowed(std::string allow);
Response ok_empty();

}  // namespace tigress::relay::answers
