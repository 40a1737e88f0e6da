#include "reference/relay/prepared_request.hpp"

#include <atomic>
#include <cctype>
#include <cstdint>
#include <cstdio>

#include "reference/relay/relay.hpp"

namespace tigress::relay {
namespace {

// The predictable-ids defect: version-4 syntax over a counter.
Result<codec::Uuid> sequential_uuid() {
  static std::atomic<std::uint64_t> counter{1};
  char text[37];
  std::snprintf(text, sizeof text, "00000000-0000-4000-8000-%012llx",
                static_cast<unsigned long long>(counter.fetch_add(1)));
  return codec::parse_uuid(text);
}

}  // namespace

Route route(std::string_view path) {
  constexpr std::string_view kCollection = "/v1/m";
  if (path == kCollection) return {Route::kCollection, {}};
  if (path.starts_with("/v1/m/")) {
    std::string_view segment = path.substr(kCollection.size() + 1);
    if (segment.empty() || segment.find('/') != std::string_view::npos) return {};
    return {Route::kMailbox, std::string(segment)};
  }
  // "/v{N}/..." with another N: an API version this relay does not serve (AMB-29).
  if (path.size() > 2 && path[0] == '/' && path[1] == 'v' && std::isdigit(static_cast<unsigned char>(path[2])) &&
      !path.starts_with("/v1/")) {
    return {Route::kUnknownVersion, {}};
  }
  return {};
}

Result<codec::Uuid> draw_mailbox_id(const RelayDefects& defects) {
  return defects.predictable_ids ? sequential_uuid() : codec::generate_uuid_v4();
}

std::string create_answer_body(const RelayConfig& config, const codec::Uuid& id) {
  const codec::CreateMailboxResponse made{config.public_base_url + "/v1/m/" + id.to_string(), false};
  if (!config.defects.omit_push_flag) return codec::dump_create_response(made);
  auto answer = codec::to_json(made);
  answer.erase("isPushNotificationSupported");
  return codec::dump_json(answer);
}

PreparedRequest prepare(const Request& request, const RelayConfig& config) {
  PreparedRequest prepared;
  prepared.target = route(request.path);
  const RelayDefects& bugs = config.defects;
  if (prepared.target.kind == Route::kCollection && request.method == "POST") {
    prepared.create_body =
        codec::parse_create_request(bugs.display_types_unchecked ? display_as_text(request.body) : request.body);
    if (*prepared.create_body) {
      prepared.fresh_id = draw_mailbox_id(bugs);
      if (*prepared.fresh_id) prepared.create_answer = create_answer_body(config, **prepared.fresh_id);
    }
  } else if (prepared.target.kind == Route::kMailbox && request.method == "PUT") {
    prepared.update_body = codec::parse_update_request(request.body);
  } else if (prepared.target.kind == Route::kMailbox && request.method == "POST") {
    prepared.read_body = codec::parse_read_request(request.body);
  }
  return prepared;
}

}  // namespace tigress::relay
