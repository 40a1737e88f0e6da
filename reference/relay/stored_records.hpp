// Mailboxes and request records as the text a shared store keeps. The payload and the tokens
// are carried as the strings the client sent: the relay never looks inside the share.
#pragma once

#include <string>
#include <string_view>

#include "reference/relay/mailbox.hpp"
#include "common/result.hpp"

namespace tigress::relay {

std::string encode_mailbox(const Mailbox& mailbox);
Result<Mailbox> decode_mailbox(std::string_view text);

std::string encode_request_record(const RequestRecord& record);
Result<RequestRecord> decode_request_record(std::string_view text);

}  // namespace tigress::relay
