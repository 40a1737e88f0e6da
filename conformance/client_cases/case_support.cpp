#include "conformance/client_cases/case_support.hpp"

#include <nlohmann/json.hpp>

namespace tigress::conformance::client_suite {

std::vector<RecordedExchange> requests_of(const std::vector<RecordedExchange>& all, Operation operation) {
  std::vector<RecordedExchange> out;
  for (const auto& exchange : all) {
    if (exchange.operation == operation) out.push_back(exchange);
  }
  return out;
}

std::vector<std::string> header_values(const std::vector<RecordedExchange>& all, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& exchange : all) {
    if (const std::string* value = exchange.header(name)) out.push_back(*value);
  }
  return out;
}

std::size_t check_secret_never_sent(ClientCaseContext& ctx, const Bytes& secret,
                                    const std::vector<RecordedExchange>& all) {
  const auto spellings = secret_spellings(secret);
  for (std::size_t i = 0; i < all.size(); ++i) {
    // raw holds the request line, every header and the body exactly as they arrived.
    if (auto found = find_spelling(all[i].raw, spellings)) {
      ctx.check(false, "request " + std::to_string(i + 1) + " (" + all[i].method + ", " +
                           std::string(operation_name(all[i].operation)) + ") carries the share secret as " + *found +
                           " (draft 8.2.1: the secret never reaches the relay)");
    }
  }
  return all.size();
}

std::string mailbox_path_of(const std::string& share_url) {
  const auto start = share_url.find("/v1/m/");
  if (start == std::string::npos) return {};
  const auto end = share_url.find_first_of("?#", start);
  return share_url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

CompleteExchange complete_exchange(ClientCaseContext& ctx, const ShareOptions& options) {
  CompleteExchange exchange;
  exchange.share = ctx.must_share(options);
  exchange.recipient_state = ctx.must_receive(exchange.share);
  std::string reply, marker;
  ctx.must(ctx.send(exchange.recipient_state, reply, marker), "send (recipient)");
  const std::string out = ctx.path("initiator-read.json");
  const ShimRun read = ctx.read(exchange.share.state, out);
  ctx.must(read, "read (initiator)");
  const auto got = nlohmann::json::parse(read.out_text, nullptr, false);
  ctx.check(!got.is_discarded() && got == nlohmann::json::parse(reply),
            "the initiator's read wrote something other than the recipient's message to --out");
  return exchange;
}

bool misbehaviour_applied(const std::vector<RecordedExchange>& all, const std::string& misbehaviour) {
  for (const auto& exchange : all) {
    if (exchange.misbehaviour.find(misbehaviour) != std::string::npos) return true;
  }
  return false;
}

void expect_receive_refused(ClientCaseContext& ctx, const std::string& misbehaviour, const std::string& what) {
  const Share share = ctx.must_share();
  ctx.arm(misbehaviour);
  const ShimRun run = ctx.receive(share, ctx.path("recipient.state"), ctx.path("received.json"));
  if (!misbehaviour_applied(ctx.exchanges(), misbehaviour)) {
    if (requests_of(ctx.exchanges(), Operation::kRead).empty()) {
      ctx.abort_fail("receive made no Read (MBX-CLI-02; " + run.describe() + ")");
    }
    for (const auto& upload : uploaded_payloads(ctx.exchanges())) {
      if (!upload.data)
        ctx.abort_fail("payload.data is no base64 spelling MBX-ENC-01 accepts, so nothing in it can be tampered with");
    }
    ctx.abort_error("'" + misbehaviour + "' found nothing to act on in the Read answer (" + run.describe() + ")");
  }
  ctx.expect_rejected(run, share.marker, what);
}

}  // namespace tigress::conformance::client_suite
