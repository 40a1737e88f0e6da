// What either side does with the mailbox once the transfer is set up (command.hpp): send a new
// message, read the current one, delete the mailbox, relinquish the binding.
#include "reference/client/command.hpp"
#include "reference/client/payload_crypto.hpp"
#include "reference/codec/timestamp.hpp"

namespace tigress::client {

Outcome Command::send() {
  auto loaded = load_and_connect();
  if (!loaded) return failure(loaded.error());
  auto plaintext = read_provisioning_file(*line_.value("in"));
  if (!plaintext) return failure(plaintext.error());
  // 7.2 / MBX-ENC-08: the one secret of this transfer protects every message.
  auto sealed = seal_payload(loaded->state.algorithm, loaded->state.secret, *plaintext, defects_);
  if (!sealed) return failure(sealed.error());
  codec::UpdateMailboxRequest request;
  request.payload = *sealed;
  auto token = notification_token();
  if (!token) return failure(token.error());
  request.notification_token = *token;
  auto reply = loaded->api->update(loaded->mailbox, loaded->state.claim, request);
  if (!reply) return refused(reply.error());
  progress("updated mailbox " + loaded->mailbox.mailbox_id.to_string() + " as " +
           std::string(role_name(loaded->state.role)));
  return {};
}

Outcome Command::read() {
  auto loaded = load_and_connect();
  if (!loaded) return failure(loaded.error());
  auto reply = loaded->api->read(loaded->mailbox, loaded->state.claim);
  if (!reply) return failure(reply.error());
  progress("read mailbox " + loaded->mailbox.mailbox_id.to_string() + " (expires " +
           codec::format_timestamp(reply->body.expiration) + ")");
  auto plaintext = open_payload(reply->body.payload, loaded->state.secret, defects_);
  if (!plaintext) return failure(plaintext.error());
  return emit_plaintext(*plaintext);
}

Outcome Command::remove() {
  auto loaded = load_and_connect();
  if (!loaded) return failure(loaded.error());
  auto reply = loaded->api->remove(loaded->mailbox, loaded->state.claim);
  if (!reply) return refused(reply.error());
  progress("deleted mailbox " + loaded->mailbox.mailbox_id.to_string());
  return {};
}

Outcome Command::relinquish() {
  auto loaded = load_and_connect();
  if (!loaded) return failure(loaded.error());
  auto reply = loaded->api->relinquish(loaded->mailbox, loaded->state.claim);
  if (!reply) return refused(reply.error());
  progress("relinquished mailbox " + loaded->mailbox.mailbox_id.to_string() + "; another device may now receive it");
  return {};
}

}  // namespace tigress::client
