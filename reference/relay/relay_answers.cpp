#include "reference/relay/relay_answers.hpp"

#include <utility>

#include "reference/codec/bodies.hpp"

namespace tigress::relay::answers {

Response json_response(int status, std::string body) {
  Response response;
  response.status = status;
  response.set_header("Content-Type", "application/json");
  response.set_header("Cache-Control", "no-store");
  response.body = std::move(body);
  return response;
}

Response error(int status, std::string_view code, const std::string& detail) {
  return json_response(status, codec::error_body(code, detail));
}
Response bad_request(const std::string& detail) { return error(400, "bad_request", detail); }
Response unauthorized(const std::string& detail) { return error(401, "unauthorized", detail); }
Response not_found(const std::string& detail) { return error(404, "not_found", detail); }

Response method_not_allowed(std::string allow) {
  Response response = error(405, "method_not_allowed", "method not allowed on this resource");
  response.set_header("Allow", std::move(allow));
  return response;
}

Response ok_empty() {
  Response response;
  response.status = 200;
  response.set_header("Cache-Control", "no-store");
  return response;
}

}  // namespace tigress::relay::answers
