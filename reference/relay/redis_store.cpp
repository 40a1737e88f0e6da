#include "reference/relay/redis_store.hpp"

#include <map>
#include <optional>
#include <thread>

#include "reference/relay/stored_records.hpp"

namespace tigress::relay {
namespace {

// KEYS: the keys checked, then the keys written, then the mailbox and request-record indexes.
// ARGV: number checked, number written; per check its state ('a' absent, 'p' present) and the
// value read; per write its operation ('s' set, 'd' delete), value, TTL in ms, index ('m' or
// 'r'), index member and score. Nothing is written unless every check holds.
const RedisScript kCommitScript(R"lua(
local checks, writes = tonumber(ARGV[1]), tonumber(ARGV[2])
local a = 3
for i = 1, checks do
  local current = redis.call('GET', KEYS[i])
  if ARGV[a] == 'a' then
    if current then return 0 end
  elseif current ~= ARGV[a + 1] then
    return 0
  end
  a = a + 2
end
local mailbox_index, record_index = KEYS[#KEYS - 1], KEYS[#KEYS]
for j = 1, writes do
  local key = KEYS[checks + j]
  local index = (ARGV[a + 3] == 'm') and mailbox_index or record_index
  if ARGV[a] == 'd' then
    redis.call('DEL', key)
    redis.call('ZREM', index, ARGV[a + 4])
  else
    redis.call('SET', key, ARGV[a + 1], 'PX', ARGV[a + 2])
    redis.call('ZADD', index, ARGV[a + 5], ARGV[a + 4])
  end
  a = a + 6
end
return 1
)lua");

// KEYS: mailbox index, record index. ARGV: now, batch limit, mailbox key prefix, record key
// prefix. Deletes at most `limit` expired entries of each index; answers {mailboxes deleted,
// mailbox entries taken, record entries taken} so the caller knows whether a batch was full.
const RedisScript kSweepScript(R"lua(
local removed = 0
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(ids) do
  removed = removed + redis.call('DEL', ARGV[3] .. id)
  redis.call('ZREM', KEYS[1], id)
end
local claims = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, claim in ipairs(claims) do
  redis.call('DEL', ARGV[4] .. claim)
  redis.call('ZREM', KEYS[2], claim)
end
return {removed, #ids, #claims}
)lua");

constexpr long long kSweepBatch = 1000;
constexpr auto kDefectPause = std::chrono::milliseconds(20);

}  // namespace

class RedisTransaction final : public Transaction {
 public:
  explicit RedisTransaction(RedisStore& store) : store_(store), prefix_(store.options_.key_prefix) {}

  Mailbox* find(const std::string& id) override {
    auto slot = mailboxes_.find(id);
    if (slot == mailboxes_.end()) {
      MailboxSlot loaded;
      auto value = get(mailbox_key(id));
      if (!value) return nullptr;
      loaded.seen = std::move(*value);
      if (loaded.seen) {
        auto decoded = decode_mailbox(*loaded.seen);
        if (!decoded) return fail(decoded.error()), nullptr;
        loaded.current = std::move(*decoded);
      }
      slot = mailboxes_.emplace(id, std::move(loaded)).first;
    }
    return slot->second.current ? &*slot->second.current : nullptr;
  }

  bool insert(Mailbox&& mailbox) override {
    const std::string id = mailbox.id;
    if (find(id) != nullptr || failure_) return false;
    mailboxes_[id].current = std::move(mailbox);
    return true;
  }

  bool erase(const std::string& id) override {
    if (find(id) == nullptr) return false;
    mailboxes_[id].current.reset();
    return true;
  }

  const RequestRecord* last_request(const std::string& claim) override {
    auto slot = records_.find(claim);
    if (slot == records_.end() || !slot->second.read) {
      auto value = get(record_key(claim));
      if (!value) return nullptr;
      RecordSlot& loaded = records_[claim];
      loaded.read = true;
      loaded.seen = std::move(*value);
      if (loaded.seen && !loaded.written) {
        auto decoded = decode_request_record(*loaded.seen);
        if (!decoded) return fail(decoded.error()), nullptr;
        loaded.written = std::move(*decoded);
      }
      slot = records_.find(claim);
    }
    return slot->second.written ? &*slot->second.written : nullptr;
  }

  void remember_request(const std::string& claim, RequestRecord record) override {
    records_[claim].written = std::move(record);
  }

  std::size_t erase_expired(codec::UnixSeconds now) override {
    std::size_t removed = 0;
    for (;;) {
      auto reply = run(kSweepScript, {prefix_ + "mx", prefix_ + "rx"},
                       {std::to_string(now), std::to_string(kSweepBatch), prefix_ + "m:", prefix_ + "r:"});
      if (!reply) return removed;
      const auto& counts = reply->elements;
      if (reply->kind != RedisValue::kArray || counts.size() != 3) {
        fail(make_error("redis: unexpected answer to the sweep"));
        return removed;
      }
      removed += static_cast<std::size_t>(counts[0].integer);
      if (counts[1].integer < kSweepBatch && counts[2].integer < kSweepBatch) return removed;
    }
  }

  std::size_t mailbox_count() override {
    auto reply = command({"ZCARD", prefix_ + "mx"});
    return reply && reply->kind == RedisValue::kInteger ? static_cast<std::size_t>(reply->integer) : 0;
  }

  Result<CommitOutcome> commit() override;

 private:
  struct MailboxSlot {
    std::optional<std::string> seen;  // the stored text when first read; nullopt: absent
    std::optional<Mailbox> current;   // nullopt: absent or erased
  };
  struct RecordSlot {
    bool read = false;  // remember_request alone writes blindly: it depends on nothing read
    std::optional<std::string> seen;
    std::optional<RequestRecord> written;
  };

  std::string mailbox_key(const std::string& id) const { return prefix_ + "m:" + id; }
  std::string record_key(const std::string& claim) const { return prefix_ + "r:" + claim; }

  void fail(Error error) {
    if (!failure_) failure_ = std::move(error);
  }

  RedisConnection* connection() {
    if (failure_) return nullptr;
    if (!lease_) {
      auto leased = store_.pool_.acquire();
      if (!leased) return fail(leased.error()), nullptr;
      lease_.emplace(std::move(*leased));
    }
    return &**lease_;
  }

  Result<RedisValue> checked(Result<RedisValue> reply) {
    if (!reply) fail(reply.error());
    return reply;
  }
  Result<RedisValue> command(const std::vector<std::string>& argv) {
    RedisConnection* redis = connection();
    if (redis == nullptr) return *failure_;
    return checked(redis->command(argv));
  }
  Result<RedisValue> run(const RedisScript& script, const std::vector<std::string>& keys,
                         const std::vector<std::string>& args) {
    RedisConnection* redis = connection();
    if (redis == nullptr) return *failure_;
    return checked(redis->run(script, keys, args));
  }

  // The value under `key`, nullopt inside when absent; an error when the store failed.
  Result<std::optional<std::string>> get(const std::string& key) {
    auto reply = command({"GET", key});
    if (!reply) return reply.error();
    if (reply->kind == RedisValue::kNil) return std::optional<std::string>{};
    if (reply->kind != RedisValue::kString) {
      fail(make_error("redis: " + key + " does not hold a string"));
      return *failure_;
    }
    return std::optional<std::string>(std::move(reply->text));
  }

  // Milliseconds of Redis TTL for something the relay keeps until `until` by its own clock.
  std::string ttl_ms(codec::UnixSeconds until) const {
    const codec::UnixSeconds left = std::max<codec::UnixSeconds>(0, until - store_.clock_.now());
    const auto grace = std::chrono::duration_cast<std::chrono::milliseconds>(store_.options_.ttl_grace);
    return std::to_string(left * 1000 + std::max<long long>(1, grace.count()));
  }

  RedisStore& store_;
  const std::string& prefix_;
  std::optional<RedisConnectionPool::Lease> lease_;
  std::optional<Error> failure_;
  std::map<std::string, MailboxSlot> mailboxes_;
  std::map<std::string, RecordSlot> records_;
};

Result<CommitOutcome> RedisTransaction::commit() {
  if (failure_) return *failure_;
  const bool validate = !store_.options_.nonatomic_binding;
  std::vector<std::string> keys, check_args, write_keys, write_args;
  auto check = [&](std::string key, const std::optional<std::string>& seen) {
    keys.push_back(std::move(key));
    check_args.push_back(seen ? "p" : "a");
    check_args.push_back(seen.value_or(""));
  };
  auto write = [&](std::string key, const std::optional<std::string>& value, codec::UnixSeconds until,
                   const char* index, const std::string& member) {
    write_keys.push_back(std::move(key));
    write_args.insert(write_args.end(),
                      {value ? "s" : "d", value.value_or(""), ttl_ms(until), index, member, std::to_string(until)});
  };
  bool mailbox_written = false;
  for (const auto& [id, slot] : mailboxes_) {
    if (validate) check(mailbox_key(id), slot.seen);
    const auto text = slot.current ? std::optional(encode_mailbox(*slot.current)) : std::nullopt;
    if (text == slot.seen) continue;
    write(mailbox_key(id), text, slot.current ? slot.current->expiration : 0, "m", id);
    mailbox_written = true;
  }
  for (const auto& [claim, slot] : records_) {
    if (validate && slot.read) check(record_key(claim), slot.seen);
    if (!slot.written) continue;
    auto text = encode_request_record(*slot.written);
    if (text != slot.seen) write(record_key(claim), text, slot.written->forget_after, "r", claim);
  }
  // One value read alone is a consistent snapshot: a read-only request needs no second trip.
  if (write_keys.empty() && keys.size() <= 1) return CommitOutcome::kCommitted;
  if (!validate && mailbox_written) std::this_thread::sleep_for(kDefectPause);

  const std::size_t checks = keys.size();
  keys.insert(keys.end(), write_keys.begin(), write_keys.end());
  keys.push_back(prefix_ + "mx");
  keys.push_back(prefix_ + "rx");
  std::vector<std::string> args = {std::to_string(checks), std::to_string(write_keys.size())};
  args.insert(args.end(), check_args.begin(), check_args.end());
  args.insert(args.end(), write_args.begin(), write_args.end());
  auto reply = run(kCommitScript, keys, args);
  if (!reply) return reply.error();
  if (reply->kind != RedisValue::kInteger) return make_error("redis: unexpected answer to a commit");
  return reply->integer == 1 ? CommitOutcome::kCommitted : CommitOutcome::kConflict;
}

RedisStore::RedisStore(RedisStoreOptions options, const Clock& clock)
    : options_(std::move(options)),
      clock_(clock),
      pool_(options_.endpoint, options_.timeout, options_.max_value_bytes, options_.max_idle_connections) {}

std::unique_ptr<Transaction> RedisStore::begin() { return std::make_unique<RedisTransaction>(*this); }

Status RedisStore::check_reachable() {
  auto lease = pool_.acquire();
  if (!lease) return lease.error();
  auto reply = (*lease)->command({"PING"});
  if (!reply) return reply.error();
  return {};
}

}  // namespace tigress::relay
