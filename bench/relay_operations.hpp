// The Tigress requests the benchmarks send, over HTTPS (the load generator's steps) and as the
// relay core's own Request (to fill a store in this process through Relay::handle): one create
// body, one update body, the same headers everywhere.
#pragma once

#include <optional>
#include <string>

#include <httplib.h>

#include "reference/codec/timestamp.hpp"
#include "reference/relay/http_types.hpp"

namespace tigress::bench {

// A create body with a 344-character payload (a 256-byte AEAD_AES_128_GCM blob in base64) and
// the given expiration.
std::string create_body(codec::UnixSeconds expiration);
// The same, expiring an hour from now by the system clock.
const std::string& create_body_expiring_in_an_hour();
const std::string& update_body();

// Fresh UUID v4 text (claims, request IDs).
std::string fresh_uuid();

// Each returns whether the relay answered 200.
bool post_create(httplib::SSLClient& relay, const std::string& claim);
// The mailbox's path ("/v1/m/ID"), or nullopt when the create failed.
std::optional<std::string> create_mailbox(httplib::SSLClient& relay, const std::string& claim);
// The path ("/v1/m/ID") of a Create answer's urlLink, nullopt when the body has none.
std::optional<std::string> mailbox_path(const std::string& create_answer);
bool post_read(httplib::SSLClient& relay, const std::string& claim, const std::string& path);
bool put_update(httplib::SSLClient& relay, const std::string& claim, const std::string& path);
bool delete_mailbox(httplib::SSLClient& relay, const std::string& claim, const std::string& path);
bool get_preview(httplib::SSLClient& relay, const std::string& path);

// POST /v1/m, POST and PUT /v1/m/ID as the relay core receives them: the same requests the
// HTTPS steps above send.
relay::Request create_request(const std::string& claim, codec::UnixSeconds expiration);
relay::Request read_request(const std::string& claim, const std::string& path);
relay::Request update_request(const std::string& claim, const std::string& path);

}  // namespace tigress::bench
