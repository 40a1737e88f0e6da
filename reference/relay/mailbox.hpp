// What the relay stores per mailbox and per device claim.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "reference/codec/bodies.hpp"
#include "reference/codec/timestamp.hpp"

namespace tigress::relay {

struct Mailbox {
  std::string id;  // canonical lowercase UUIDv4
  std::string initiator_claim;
  std::optional<std::string> recipient_claim;  // bound by the first non-initiator Read (4.1)
  codec::AccessRights rights;
  codec::UnixSeconds expiration = 0;
  codec::Payload payload;
  codec::DisplayInformation display;
  std::optional<codec::NotificationToken> initiator_token;
  std::optional<codec::NotificationToken> recipient_token;
  // Only for the queue-back-to-back-updates reading (readings.hpp), kept by the memory store
  // alone: whether the recipient has read `payload` since it was written, and the updates
  // queued behind it.
  bool payload_unread = false;
  std::vector<codec::Payload> queued_payloads;
  // Only for the refuse-undelivered-deletes defect (defects.hpp), kept by the memory store
  // alone: whether a Read has been served from the mailbox.
  bool delivered = false;
};

// The last successfully processed Mailbox-Request-ID of one device claim (section 5.1), with
// what a duplicate must be answered with (AMB-03: the original body, under status 201).
struct RequestRecord {
  std::string request_id;
  std::string method;
  std::string mailbox_id;
  std::string response_body;
  codec::UnixSeconds forget_after = 0;  // kept no longer than the mailbox it concerns
};

}  // namespace tigress::relay
